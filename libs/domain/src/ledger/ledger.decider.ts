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
  /** the numbers drawn so far, newest first (null: none yet) */
  assigned: AssignedNumber | null;
}

/**
 * One drawn number, linked to the ones drawn before it: a persistent list, so evolve adds a number in
 * O(1) and never copies. (An itemId → seq object copied on every event made folding a register of n
 * numbers O(n²) — about a second for 1,000 numbers — and every registration folds its year's register.)
 * States stay immutable: evolve only prepends a new node; older states still see exactly their own list.
 */
export interface AssignedNumber {
  readonly itemId: string;
  readonly seq: number;
  readonly previous: AssignedNumber | null;
}

/**
 * itemId → seq of exactly the list starting at the node it is stored under. Walking the list per lookup
 * is O(n), and every registration looks its item up (decide and nextLedgerNumber) in a register that
 * grows all year: at 3,000 numbers the walks were already a tenth of an intake submission's CPU.
 *
 * So the index is handed along the list: a lookup on node N whose predecessor P holds the index extends
 * P's Map with N's one entry and moves it to N (P loses it) — O(1) per new number when states are looked
 * up in the order they were folded, which is what commands do. Still exact: a Map is only ever read for
 * the one node it describes; a node without one (an older state looked up again, a fork) builds its own
 * from its list. Nothing a decider returns is mutated: the index lives beside the states, in a WeakMap.
 */
const indexes = new WeakMap<AssignedNumber, Map<string, number>>();

function indexOf(node: AssignedNumber): Map<string, number> {
  const own = indexes.get(node);
  if (own) return own;
  const inherited = node.previous === null ? undefined : indexes.get(node.previous);
  let index: Map<string, number>;
  if (inherited) {
    indexes.delete(node.previous as AssignedNumber);
    index = inherited;
  } else {
    index = new Map();
    // oldest first, so a later assignment of the same item overwrites an earlier one (latest wins)
    const older: AssignedNumber[] = [];
    for (let a = node.previous; a !== null; a = a.previous) older.push(a);
    for (let i = older.length - 1; i >= 0; i--) index.set((older[i] as AssignedNumber).itemId, (older[i] as AssignedNumber).seq);
  }
  index.set(node.itemId, node.seq);
  indexes.set(node, index);
  return index;
}

/** The seq an item holds, the latest assignment first (as a map overwritten event by event would say). */
function seqOf(state: LedgerState, itemId: string): number | undefined {
  return state.assigned === null ? undefined : indexOf(state.assigned).get(itemId);
}

/** LC-2026-0042: the prefix, the year and a gapless sequence padded to four digits (wider past 9999). */
export const formatLedgerNumber = (kind: LedgerKind, year: number, seq: number): string =>
  `${LEDGER_KINDS[kind]}-${year}-${String(seq).padStart(4, '0')}`;

/** The number an item already holds in this register, if any. */
export const ledgerNumberOf = (state: LedgerState, itemId: string): string | undefined => {
  const seq = seqOf(state, itemId);
  return seq === undefined || state.kind === null || state.year === null ? undefined : formatLedgerNumber(state.kind, state.year, seq);
};

export const ledgerDecider: Decider<LedgerCommand, LedgerState, LedgerEvent> = {
  initialState: { kind: null, year: null, lastSeq: 0, assigned: null },

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
        if (seqOf(state, command.itemId) !== undefined) return [];
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
    return { kind: d.ledger, year: d.year, lastSeq: Math.max(state.lastSeq, d.seq), assigned: { itemId: d.itemId, seq: d.seq, previous: state.assigned } };
  },
};
