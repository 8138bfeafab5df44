/** The `./server` entry: web-standard `Request → Response` handlers for the kit's backend. */
export * from './simulator';
export * from './proxy';
