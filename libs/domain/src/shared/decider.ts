import type { CommandContext } from './actor';

/**
 * A domain event as a decider produces it. `type` is the persisted contract (past tense, never derived
 * from a class name). `confidential` holds data that must never reach a projection, an integration
 * message, a history response or a log line (the informant's identity, a password hash): the store keeps
 * it in a separate column so the security work can encrypt it per aggregate (crypto-shredding).
 */
export interface DomainEvent<T extends string = string, D = unknown> {
  type: T;
  data: D;
  confidential?: Record<string, unknown>;
}

export interface Decider<Command, State, Event extends DomainEvent> {
  initialState: State;
  /** Throws DomainError when the command is refused; returns [] when it is a no-op. */
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
}

export type WithContext<C> = C & { ctx: CommandContext };
