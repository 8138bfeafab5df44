// What createGeneratorStore loads on demand: sending tasks, following them (polling, streams, tab
// sharing) and Generate's checks — none of it runs before the first Generate or a restored task.
export { createTasks, type TasksSlice } from './tasks';
export { createSubmit } from './submit';
export { createJobs, type JobActions } from './jobs';
