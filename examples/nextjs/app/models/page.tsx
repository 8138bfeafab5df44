/**
 * A server component that calls the kit's framework-free core (`@toapis/image-kit/core` is not a
 * client module): the model registry, rendered on the server with no JavaScript sent for it.
 */
import { MODEL_IDS, getModel } from '@toapis/image-kit/core';

export default function Models() {
  return (
    <section aria-labelledby="models-title">
      <h1 id="models-title">Models</h1>
      <ul>
        {MODEL_IDS.map((id) => {
          const model = getModel(id)!;
          return (
            <li key={id} data-model={id}>
              <strong>{model.label}</strong>: {model.aspectRatios.join(', ')} · up to {model.maxReferences} references
            </li>
          );
        })}
      </ul>
    </section>
  );
}
