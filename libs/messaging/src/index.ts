export * from './topics';
export * from './integration-message';
export * from './integration-publisher';
export * from './kafka-client';
export * from './kafka-publisher';
export * from './integration-relay';
export * from './create-relay';
export * from './relay-metrics';
