// 《案情专报》 (special case bulletins): events, commands, deciders, the draft assembler and its wording.
export * from './bulletin.events';
export * from './bulletin.commands';
export * from './bulletin.decider';
export * from './bulletin-register.decider';
export * from './bulletin-draft';
export * from './bulletin-labels';
export * from './bulletin-money';
