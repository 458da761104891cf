export * from './canonical-json';
export * from './event-hash';
export * from './integrity-log';
export * from './checkpoint-signing';
export * from './checkpointer';
export * from './verify-chain';
export * from './open-integrity-log';
