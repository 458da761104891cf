import type { AgencyCode } from '../shared/agency';
import type { WithContext } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';
import type { LeadAtFiling } from './case.events';
import type { ProgressStage, RecoveryCategory, SanctionKind } from './case.events';

export type FileCase = WithContext<{
  type: 'FileCase';
  caseId: string;
  caseNo: string;
  title: string;
  leads: LeadAtFiling[];
  leadAgency: AgencyCode;
  coAgencies: AgencyCode[];
  filedOn: LocalDate;
  major: boolean;
  difficult: boolean;
}>;
export type ChangeCaseFlags = WithContext<{ type: 'ChangeCaseFlags'; major: boolean; difficult: boolean; reason: string }>;
export type ReportCaseProgress = WithContext<{
  type: 'ReportCaseProgress';
  reportId: string;
  stage: ProgressStage;
  summary: string;
  reportedOn: LocalDate;
}>;
export type RecordRecovery = WithContext<{
  type: 'RecordRecovery';
  recoveryId: string;
  amountFen: number;
  category: RecoveryCategory;
  agency: AgencyCode;
  recoveredOn: LocalDate;
  note?: string;
}>;
export type CorrectRecovery = WithContext<{
  type: 'CorrectRecovery';
  recoveryId: string;
  correctionId: string;
  correctedAmountFen: number;
  reason: string;
}>;
export type ImposeSanction = WithContext<{
  type: 'ImposeSanction';
  sanctionId: string;
  personName: string;
  kind: SanctionKind;
  level?: string;
  measure?: string;
  decidedOn: LocalDate;
}>;
export type TransferCaseToJudiciary = WithContext<{
  type: 'TransferCaseToJudiciary';
  toAgency: AgencyCode;
  summary: string;
  transferredOn: LocalDate;
}>;
export type RecordCourtResult = WithContext<{ type: 'RecordCourtResult'; result: string; decidedOn: LocalDate }>;
export type CloseCase = WithContext<{ type: 'CloseCase'; summary: string; closedOn: LocalDate }>;

export type CaseCommand =
  | FileCase
  | ChangeCaseFlags
  | ReportCaseProgress
  | RecordRecovery
  | CorrectRecovery
  | ImposeSanction
  | TransferCaseToJudiciary
  | RecordCourtResult
  | CloseCase;
