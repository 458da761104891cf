import type { DomainEvent } from '../shared/decider';

/** Per-year registers (台账) whose numbers are gapless: leads LC-, cases AJ-, supervision items DB-. */
export const LEDGER_KINDS = { lead: 'LC', case: 'AJ', supervision: 'DB' } as const;
export type LedgerKind = keyof typeof LEDGER_KINDS;

export type LedgerNumberAssigned = DomainEvent<
  'ledger.number-assigned',
  { ledger: LedgerKind; year: number; seq: number; number: string; itemId: string }
>;
export type LedgerEvent = LedgerNumberAssigned;
