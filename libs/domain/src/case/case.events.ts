import type { AgencyCode } from '../shared/agency';
import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { DispositionMethod, LeadSource, Subject } from '../lead/lead.events';

export const PROGRESS_STAGES = [
  'verification', // 初核
  'investigation', // 审查调查
  'review', // 审理
  'judicial', // 移送司法
] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

export const RECOVERY_CATEGORIES = [
  'confiscation', // 追缴
  'restitution', // 退赔
  'fine', // 罚没
] as const;
export type RecoveryCategory = (typeof RECOVERY_CATEGORIES)[number];

export const SANCTION_KINDS = [
  'party-discipline', // 党纪处分
  'government-discipline', // 政务处分
  'admonishment', // 诫勉谈话
  'organizational-handling', // 组织处理
] as const;
export type SanctionKind = (typeof SANCTION_KINDS)[number];

/** Levels per kind; admonishment and organizational-handling carry a free-text measure instead. */
export const SANCTION_LEVELS = {
  'party-discipline': ['warning', 'serious-warning', 'removal-from-party-post', 'probation', 'expulsion'], // 警告 严重警告 撤销党内职务 留党察看 开除党籍
  'government-discipline': ['warning', 'demerit', 'major-demerit', 'demotion', 'dismissal-from-post', 'expulsion'], // 警告 记过 记大过 降级 撤职 开除
  admonishment: [],
  'organizational-handling': [],
} as const;

/** The facts of a lead as they stood when the case was filed from it (for 《案情专报》). */
export interface LeadAtFiling {
  leadId: string;
  ledgerNo: string;
  source: LeadSource;
  allegation: string;
  subject: Subject;
  receivedOn: LocalDate;
  disposition?: { method: DispositionMethod; rationale: string; decidedOn: LocalDate };
}

export type CaseFiled = DomainEvent<
  'case.filed',
  {
    caseId: string;
    caseNo: string; // AJ-2026-0007
    title: string;
    leadIds: string[];
    leads: LeadAtFiling[];
    /** people implicated (from the leads' subjects); used for 回避 */
    subjects: Subject[];
    leadAgency: AgencyCode; // 主办
    coAgencies: AgencyCode[]; // 协办
    filedOn: LocalDate;
    major: boolean; // 重大
    difficult: boolean; // 疑难
  }
>;

export type CaseFlagsChanged = DomainEvent<
  'case.flags-changed',
  { caseId: string; major: boolean; difficult: boolean; reason: string; changedOn: LocalDate }
>;

/** 案情报告 */
export type CaseProgressReported = DomainEvent<
  'case.progress-reported',
  { caseId: string; reportId: string; stage: ProgressStage; summary: string; agency: AgencyCode; reportedOn: LocalDate }
>;

/** 挽回经济损失 */
export type CaseLossRecovered = DomainEvent<
  'case.loss-recovered',
  {
    caseId: string;
    recoveryId: string;
    amountFen: number; // positive integer
    category: RecoveryCategory;
    agency: AgencyCode;
    recoveredOn: LocalDate;
    note?: string;
  }
>;

/**
 * A compensating entry: the recovery's amount changes by `deltaFen` (non-zero, may be negative). The
 * original's agency, category and date are copied so every read model can book the correction in the
 * original's period without looking anything up.
 */
export type CaseLossRecoveryCorrected = DomainEvent<
  'case.loss-recovery-corrected',
  {
    caseId: string;
    recoveryId: string;
    correctionId: string;
    deltaFen: number;
    correctedAmountFen: number; // the recovery's amount after this correction (>= 0)
    category: RecoveryCategory;
    agency: AgencyCode;
    recoveredOn: LocalDate;
    reason: string;
    correctedOn: LocalDate;
  }
>;

export type CaseSanctionImposed = DomainEvent<
  'case.sanction-imposed',
  {
    caseId: string;
    sanctionId: string;
    personName: string;
    kind: SanctionKind;
    level?: string;
    measure?: string;
    decidedOn: LocalDate;
    agency: AgencyCode;
  }
>;

/** 移送司法 */
export type CaseTransferredToJudiciary = DomainEvent<
  'case.transferred-to-judiciary',
  { caseId: string; toAgency: AgencyCode; summary: string; transferredOn: LocalDate }
>;

export type CaseCourtResultRecorded = DomainEvent<
  'case.court-result-recorded',
  { caseId: string; result: string; decidedOn: LocalDate }
>;

/** 结案 */
export type CaseClosed = DomainEvent<'case.closed', { caseId: string; summary: string; closedOn: LocalDate }>;

export type CaseEvent =
  | CaseFiled
  | CaseFlagsChanged
  | CaseProgressReported
  | CaseLossRecovered
  | CaseLossRecoveryCorrected
  | CaseSanctionImposed
  | CaseTransferredToJudiciary
  | CaseCourtResultRecorded
  | CaseClosed;
