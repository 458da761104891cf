export * from './event-envelope';
export * from './event-store.port';
export * from './event-store.errors';
export * from './append.rules';
export * from './deterministic-event-id';
export * from './upcasting';
export * from './command-handler';
export * from './sqlite/sqlite-event-store';
