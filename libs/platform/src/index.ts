export * from './app-config';
export * from './infrastructure';
export * from './metrics';
export * from './readiness';
export * from './read-model-shadow';
export * from './pino-nest-logger';
