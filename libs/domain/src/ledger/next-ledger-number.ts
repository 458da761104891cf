import { formatLedgerNumber, ledgerNumberOf, type LedgerState } from './ledger.decider';
import type { LedgerKind } from './ledger.events';

/**
 * The number `itemId` will hold once AssignLedgerNumber is decided on `state`: its existing number on a
 * retry, otherwise the next in sequence. A command that needs the number (RegisterLead carries ledgerNo)
 * computes it here and appends both in one atomic append with the ledger's expected version, so a
 * concurrent registration makes one of them retry instead of sharing or skipping a number.
 */
export function nextLedgerNumber(state: LedgerState, kind: LedgerKind, year: number, itemId: string): string {
  return ledgerNumberOf(state, itemId) ?? formatLedgerNumber(kind, year, state.lastSeq + 1);
}
