// Test-only surface (uses jest globals): import from '@coord/event-store/testing', never from production code.
export * from './event-store.contract';
