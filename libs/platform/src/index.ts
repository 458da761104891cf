export * from './app-config';
export * from './infrastructure';
export * from './pino-nest-logger';
