import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { assertCanWrite } from '../shared/guards';
import type { LedgerCommand } from './ledger.commands';
import { LEDGER_KINDS, type LedgerEvent, type LedgerKind } from './ledger.events';

/** One per-year register (台账), e.g. stream ledger-lead-2026. kind/year are null until the first number. */
export interface LedgerState {
  kind: LedgerKind | null;
  year: number | null;
  lastSeq: number;
  byItem: Record<string, number>; // itemId → seq
}

/** LC-2026-0042: the prefix, the year and a gapless sequence padded to four digits (wider past 9999). */
export const formatLedgerNumber = (kind: LedgerKind, year: number, seq: number): string =>
  `${LEDGER_KINDS[kind]}-${year}-${String(seq).padStart(4, '0')}`;

/** The number an item already holds in this register, if any. */
export const ledgerNumberOf = (state: LedgerState, itemId: string): string | undefined => {
  const seq = state.byItem[itemId];
  return seq === undefined || state.kind === null || state.year === null ? undefined : formatLedgerNumber(state.kind, state.year, seq);
};

export const ledgerDecider: Decider<LedgerCommand, LedgerState, LedgerEvent> = {
  initialState: { kind: null, year: null, lastSeq: 0, byItem: {} },

  decide(command, state) {
    // any writer may draw a number: an agency registering a lead draws the next LC number in the same append
    assertCanWrite(command.ctx.actor);
    switch (command.type) {
      case 'AssignLedgerNumber': {
        if (!Object.prototype.hasOwnProperty.call(LEDGER_KINDS, command.ledger)) refuse('ledger-kind-invalid', '台账种类不存在', 'invalid', 'ledger');
        if (!Number.isInteger(command.year) || command.year < 1000 || command.year > 9999) refuse('ledger-year-invalid', '台账年度无效', 'invalid', 'year');
        // one stream is one register; a command for another register was routed to the wrong stream
        if ((state.kind !== null && state.kind !== command.ledger) || (state.year !== null && state.year !== command.year)) {
          refuse('ledger-mismatch', '台账种类或年度与本台账不符', 'invalid', 'ledger');
        }
        // idempotent: a retried registration gets the number it already has, and the sequence stays gapless
        if (state.byItem[command.itemId] !== undefined) return [];
        const seq = state.lastSeq + 1;
        return [
          {
            type: 'ledger.number-assigned',
            data: { ledger: command.ledger, year: command.year, seq, number: formatLedgerNumber(command.ledger, command.year, seq), itemId: command.itemId },
          },
        ];
      }
      default: {
        const unhandled: never = command.type;
        throw new Error(`unhandled ledger command ${String(unhandled)}`);
      }
    }
  },

  evolve(state, event) {
    const d = event.data;
    return { kind: d.ledger, year: d.year, lastSeq: Math.max(state.lastSeq, d.seq), byItem: { ...state.byItem, [d.itemId]: d.seq } };
  },
};
