import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';

/** A labelled count in a report table (by source, by agency, by method …). */
export interface ReportCountRow {
  key: string;
  label: string;
  count: number;
}

/** A labelled amount in integer fen. */
export interface ReportMoneyRow {
  key: string;
  label: string;
  totalFen: number;
  caseCount: number;
}

export const REPORT_KINDS = ['half-year', 'annual', 'custom'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/**
 * The figures of a 定期报告, computed from events by business date (libs/reporting). They are part of the
 * persisted contract of `report.issued`: an issued report keeps exactly the figures it was issued with,
 * whatever is entered afterwards. Nothing here names an informant (the computation never sees one).
 */
export interface PeriodicReportFigures {
  period: { kind: ReportKind; from: LocalDate; to: LocalDate; asOf: LocalDate };
  leads: { total: number; important: number; bySource: ReportCountRow[]; byAgency: ReportCountRow[] };
  transfers: {
    total: number;
    acknowledgedInTime: number;
    acknowledgedLate: number;
    awaitingAcknowledgement: number;
    acknowledgementOverdue: number;
    decidedInTime: number;
    decidedLate: number;
    awaitingDecision: number;
    decisionOverdue: number;
    byOutcome: ReportCountRow[];
    byReceivingAgency: ReportCountRow[];
    clocks: { acknowledgeWorkingDays: number; decisionWorkingDays: number };
  };
  dispositions: { total: number; concluded: number; byMethod: ReportCountRow[] };
  cases: { filed: number; closed: number; major: number; difficult: number; openAsOf: number; filedByAgency: ReportCountRow[] };
  sanctions: { total: number; byKind: ReportCountRow[]; byLevel: ReportCountRow[] };
  judicialTransfers: { total: number; byAgency: ReportCountRow[] };
  recoveries: { totalFen: number; entryCount: number; caseCount: number; byAgency: ReportMoneyRow[]; byCategory: ReportMoneyRow[] };
  supervision: { opened: number; completed: number; completedLate: number; overdue: number; openAsOf: number };
  meetings: { held: number; regular: number; special: number; decisions: number; decisionsPassed: number };
  /** the running totals since the first business date in the log (the seed's "since 2012, 62 cases …") */
  cumulative: { since: LocalDate | null; casesFiled: number; recoveredFen: number };
}

/** 定期报告 issued: an immutable snapshot (a correction is a new report). Stream `report-<reportId>`. */
export type ReportIssued = DomainEvent<
  'report.issued',
  { reportId: string; title: string; issuedOn: LocalDate; figures: PeriodicReportFigures }
>;

export type ReportEvent = ReportIssued;
