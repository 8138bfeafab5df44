// Node-side test setup: nothing global yet; MSW servers are started per file (see test/msw/server.ts).
export {};
