export * from './topics';
export * from './integration-message';
