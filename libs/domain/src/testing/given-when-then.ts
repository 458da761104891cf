import type { Decider, DomainEvent } from '../shared/decider';
import { DomainError, type DomainErrorKind } from '../shared/domain-error';

/**
 * given(decider, ...history).when(command).then(expectedEvents) — the shape every decider spec uses, so a
 * rule reads as a sentence: given these past events, when this command arrives, then these new events (or
 * this refusal). Jest-only; excluded from the build (tsconfig.build ignores testing/**).
 */
export function given<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, ...history: E[]) {
  const state = history.reduce<S>((s, e) => decider.evolve(s, e), decider.initialState);
  return {
    state,
    when(command: C) {
      const run = (): E[] => decider.decide(command, state);
      return {
        then(expected: E[]): E[] {
          const events = run();
          expect(events).toEqual(expected);
          return events;
        },
        /** Expect no event at all: the command is an accepted no-op (idempotent repeat). */
        thenNothing(): void {
          expect(run()).toEqual([]);
        },
        thenRefuses(code: string, kind?: DomainErrorKind, field?: string): DomainError {
          let caught: unknown;
          try {
            const events = run();
            caught = new Error(`expected refusal '${code}', got events: ${JSON.stringify(events)}`);
          } catch (e) {
            caught = e;
          }
          if (!(caught instanceof DomainError)) throw caught;
          expect(caught.code).toBe(code);
          if (kind !== undefined) expect(caught.kind).toBe(kind);
          if (field !== undefined) expect(caught.field).toBe(field);
          // every refusal is shown to a person in Chinese
          expect(caught.message).toMatch(/[\u4e00-\u9fff]/);
          return caught;
        },
      };
    },
  };
}

/** Fold events into a state (for assertions on state helpers). */
export const fold = <C, S, E extends DomainEvent>(decider: Decider<C, S, E>, ...history: E[]): S =>
  history.reduce<S>((s, e) => decider.evolve(s, e), decider.initialState);
