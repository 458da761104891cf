export * from './confidential-vault';
export * from './data-key-store';
export * from './encrypting-event-store';
export * from './master-keyring';
