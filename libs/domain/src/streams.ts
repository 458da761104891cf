import type { LedgerKind } from './ledger/ledger.events';

/** The one place stream names are made. Stream names are part of the persisted contract. */
export const streams = {
  lead: (id: string) => `lead-${id}`,
  case: (id: string) => `case-${id}`,
  supervision: (id: string) => `supervision-${id}`,
  meeting: (id: string) => `meeting-${id}`,
  ledger: (kind: LedgerKind, year: number) => `ledger-${kind}-${year}`,
  bulletins: (year: number) => `bulletins-${year}`,
  bulletin: (id: string) => `bulletin-${id}`,
  group: () => 'group',
  calendar: () => 'calendar',
  account: (username: string) => `account-${username}`,
  report: (id: string) => `report-${id}`,
  ledgerImport: (batchId: string) => `import-${batchId}`,
  /** grants to read informants' identities (one stream: few, and checked together) */
  informantGrants: () => 'informant-grants',
  /** one lead's informant custody: disclosures and erasure (never the identity itself) */
  informant: (leadId: string) => `informant-${leadId}`,
  /** access audit, one stream per Asia/Shanghai day (appends never contend on one hot stream for long) */
  accessAudit: (day: string) => `audit-${day}`,
} as const;

/** The aggregate category of a stream (the text before the first '-'), e.g. 'lead'. */
export const streamCategory = (streamId: string): string => streamId.split('-', 1)[0];
