import { GeneratorProvider, PromptForm, AspectRatioPicker, ReferenceTray, TaskProgress } from '@toapis/image-kit';
import '@toapis/image-kit/styles.css';

export default function Generator() {
  return (
    <GeneratorProvider backendUrl="/api/toapis">
      <PromptForm />
      <AspectRatioPicker />
      <ReferenceTray max={8} />
      <TaskProgress />
    </GeneratorProvider>
  );
}
