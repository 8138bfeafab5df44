/** The framework-free core: no React, no DOM globals at import time. Safe to import in plain Node. */
export * from './errors';
export * from './protocol';
export * from './expiry';
export * from './client';
export * from './poller';
export * from './timing';
export * from './messages';
export * from './models';
export * from './parameters';
export * from './references';
