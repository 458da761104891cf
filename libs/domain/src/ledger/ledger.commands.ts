import type { WithContext } from '../shared/decider';
import type { LedgerKind } from './ledger.events';

/** Idempotent per itemId: asking again for the same item yields no event (the number it already has). */
export type AssignLedgerNumber = WithContext<{ type: 'AssignLedgerNumber'; ledger: LedgerKind; year: number; itemId: string }>;
export type LedgerCommand = AssignLedgerNumber;
