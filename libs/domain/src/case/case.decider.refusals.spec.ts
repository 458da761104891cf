import type { Actor } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { given } from '../testing/given-when-then';
import { ctx, office, police, TODAY } from '../testing/fixtures';
import { leadDecider } from '../lead/lead.decider';
import { caseDecider, MAX_CASE_RECOVERED_FEN, MAX_RECOVERY_FEN } from './case.decider';
import type { CaseCommand } from './case.commands';
import type { CaseEvent, LeadAtFiling } from './case.events';
import { leadAtFiling } from './lead-at-filing';

/**
 * Refusals of the case decider (and of leadAtFiling) that case.decider.spec.ts does not pin down to code,
 * kind AND field: each is part of the HTTP contract (problem+json code, status family, highlighted field).
 */
const BLANKS = ['', '  \t\u3000'];
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };
const zhang = { name: '张某', post: '科长', unit: '县某局' };
const lead = (leadId: string): LeadAtFiling => ({
  leadId,
  ledgerNo: `LC-2026-000${leadId.slice(1)}`,
  source: 'audit-finding',
  allegation: '违规发放补贴',
  subject: zhang,
  receivedOn: '2026-03-01',
});

type Cmd<T extends CaseCommand['type']> = Omit<Extract<CaseCommand, { type: T }>, 'type' | 'ctx'>;
const fileCase = (extra: Partial<Cmd<'FileCase'>> = {}, actor: Actor = police): CaseCommand => ({
  type: 'FileCase',
  caseId: 'C1',
  caseNo: 'AJ-2026-0007',
  title: '县某局违规发放补贴案',
  leads: [lead('L1')],
  leadAgency: 'public-security',
  coAgencies: ['audit-bureau'],
  filedOn: '2026-03-10',
  major: true,
  difficult: false,
  ctx: ctx(actor),
  ...extra,
});
const filed: CaseEvent = {
  type: 'case.filed',
  data: {
    caseId: 'C1',
    caseNo: 'AJ-2026-0007',
    title: '县某局违规发放补贴案',
    leadIds: ['L1'],
    leads: [lead('L1')],
    subjects: [zhang],
    leadAgency: 'public-security',
    coAgencies: ['audit-bureau'],
    filedOn: '2026-03-10',
    major: true,
    difficult: false,
  },
};
const recovered: CaseEvent = {
  type: 'case.loss-recovered',
  data: { caseId: 'C1', recoveryId: 'R1', amountFen: 1_000, category: 'confiscation', agency: 'public-security', recoveredOn: '2026-03-12' },
};
const correctedX1: CaseEvent = {
  type: 'case.loss-recovery-corrected',
  data: {
    caseId: 'C1',
    recoveryId: 'R1',
    correctionId: 'X1',
    deltaFen: 1_000,
    correctedAmountFen: 2_000,
    category: 'confiscation',
    agency: 'public-security',
    recoveredOn: '2026-03-12',
    reason: '笔误',
    correctedOn: TODAY,
  },
};
const reported: CaseEvent = {
  type: 'case.progress-reported',
  data: { caseId: 'C1', reportId: 'P1', stage: 'investigation', summary: '已调取账目', agency: 'public-security', reportedOn: '2026-03-12' },
};
const sanctioned: CaseEvent = {
  type: 'case.sanction-imposed',
  data: { caseId: 'C1', sanctionId: 'S1', personName: '张某', kind: 'party-discipline', level: 'serious-warning', decidedOn: TODAY, agency: 'public-security' },
};
const toJudiciaryEvent: CaseEvent = {
  type: 'case.transferred-to-judiciary',
  data: { caseId: 'C1', toAgency: 'procuratorate', summary: '涉嫌贪污罪', transferredOn: TODAY },
};

const flags = (reason: string): CaseCommand => ({ type: 'ChangeCaseFlags', major: false, difficult: true, reason, ctx: ctx(office) });
const report = (extra: Partial<Cmd<'ReportCaseProgress'>> = {}): CaseCommand => ({
  type: 'ReportCaseProgress',
  reportId: 'P1',
  stage: 'investigation',
  summary: '已调取账目',
  reportedOn: TODAY,
  ctx: ctx(police),
  ...extra,
});
const recover = (extra: Partial<Cmd<'RecordRecovery'>> = {}): CaseCommand => ({
  type: 'RecordRecovery',
  recoveryId: 'R2',
  amountFen: 1_000,
  category: 'confiscation',
  agency: 'public-security',
  recoveredOn: TODAY,
  ctx: ctx(police),
  ...extra,
});
const correct = (extra: Partial<Cmd<'CorrectRecovery'>> = {}): CaseCommand => ({
  type: 'CorrectRecovery',
  recoveryId: 'R1',
  correctionId: 'X2',
  correctedAmountFen: 500,
  reason: '笔误',
  ctx: ctx(police),
  ...extra,
});
const sanction = (extra: Partial<Cmd<'ImposeSanction'>> = {}): CaseCommand => ({
  type: 'ImposeSanction',
  sanctionId: 'S2',
  personName: '张某',
  kind: 'party-discipline',
  level: 'serious-warning',
  decidedOn: TODAY,
  ctx: ctx(police),
  ...extra,
});
const toJudiciary = (extra: Partial<Cmd<'TransferCaseToJudiciary'>> = {}): CaseCommand => ({
  type: 'TransferCaseToJudiciary',
  toAgency: 'procuratorate',
  summary: '涉嫌贪污罪',
  transferredOn: TODAY,
  ctx: ctx(police),
  ...extra,
});
const courtResult = (extra: Partial<Cmd<'RecordCourtResult'>> = {}): CaseCommand => ({
  type: 'RecordCourtResult',
  result: '判处有期徒刑三年',
  decidedOn: TODAY,
  ctx: ctx(police),
  ...extra,
});
const close = (extra: Partial<Cmd<'CloseCase'>> = {}): CaseCommand => ({ type: 'CloseCase', summary: '已结案', closedOn: TODAY, ctx: ctx(police), ...extra });

describe('caseDecider refusals (code, kind and field)', () => {
  it('an agency user bound to no agency writes nothing', () => {
    given(caseDecider).when(fileCase({}, agencyWithoutAgency)).thenRefuses('agency-missing', 'forbidden');
  });

  it('the filing date must be a date', () => {
    given(caseDecider).when(fileCase({ filedOn: '2026/03/10' })).thenRefuses('date-invalid', 'invalid', 'filedOn');
  });

  it('an unknown lead in a filing request is invalid input on leadIds, not a missing case (leadAtFiling)', () => {
    const unknownLead = (): unknown => leadAtFiling(leadDecider.initialState, 'L404');
    expect(unknownLead).toThrow(DomainError);
    expect(unknownLead).toThrow(expect.objectContaining({ code: 'lead-not-found', kind: 'invalid', field: 'leadIds' }));
    expect(unknownLead).toThrow(/L404/); // the message names the lead the form sent
  });

  it('a progress report, a recovery, a correction and a sanction are each recorded once under their id', () => {
    given(caseDecider, filed, reported).when(report()).thenRefuses('report-exists', 'conflict');
    given(caseDecider, filed, recovered).when(recover({ recoveryId: 'R1' })).thenRefuses('recovery-exists', 'conflict');
    given(caseDecider, filed, recovered, correctedX1).when(correct({ correctionId: 'X1' })).thenRefuses('correction-exists', 'conflict');
    given(caseDecider, filed, sanctioned).when(sanction({ sanctionId: 'S1' })).thenRefuses('sanction-exists', 'conflict');
  });

  it('money above the caps is refused on the amount field', () => {
    given(caseDecider, filed).when(recover({ amountFen: MAX_RECOVERY_FEN + 1 })).thenRefuses('amount-too-large', 'invalid', 'amountFen');
    const big = (id: string): CaseEvent => ({ ...recovered, data: { ...(recovered.data as object), recoveryId: id, amountFen: MAX_RECOVERY_FEN } } as CaseEvent);
    const fullCase = Array.from({ length: MAX_CASE_RECOVERED_FEN / MAX_RECOVERY_FEN }, (_, i) => big(`B${i}`));
    given(caseDecider, filed, ...fullCase).when(recover({ amountFen: 1 })).thenRefuses('case-total-too-large', 'invalid', 'amountFen');
    given(caseDecider, filed, recovered)
      .when(correct({ correctedAmountFen: MAX_RECOVERY_FEN + 1 }))
      .thenRefuses('amount-too-large', 'invalid', 'correctedAmountFen');
  });

  it('no step of a case predates its first lead', () => {
    given(caseDecider, filed).when(report({ reportedOn: '2026-02-28' })).thenRefuses('date-before-first-lead', 'invalid', 'reportedOn');
    given(caseDecider, filed).when(recover({ recoveredOn: '2026-02-28' })).thenRefuses('date-before-first-lead', 'invalid', 'recoveredOn');
  });

  it('dates that are not dates are refused on their field', () => {
    given(caseDecider, filed).when(report({ reportedOn: '2026-3-12' })).thenRefuses('date-invalid', 'invalid', 'reportedOn');
    given(caseDecider, filed).when(recover({ recoveredOn: '2026-3-12' })).thenRefuses('date-invalid', 'invalid', 'recoveredOn');
    given(caseDecider, filed).when(sanction({ decidedOn: 'today' })).thenRefuses('date-invalid', 'invalid', 'decidedOn');
    given(caseDecider, filed).when(toJudiciary({ transferredOn: 'today' })).thenRefuses('date-invalid', 'invalid', 'transferredOn');
    given(caseDecider, filed, toJudiciaryEvent).when(courtResult({ decidedOn: 'today' })).thenRefuses('date-invalid', 'invalid', 'decidedOn');
    given(caseDecider, filed).when(close({ closedOn: 'today' })).thenRefuses('date-invalid', 'invalid', 'closedOn');
  });

  it('dates after today are refused on their field', () => {
    const tomorrow = '2026-03-17';
    given(caseDecider, filed).when(sanction({ decidedOn: tomorrow })).thenRefuses('date-in-future', 'invalid', 'decidedOn');
    given(caseDecider, filed).when(toJudiciary({ transferredOn: tomorrow })).thenRefuses('date-in-future', 'invalid', 'transferredOn');
    given(caseDecider, filed, toJudiciaryEvent).when(courtResult({ decidedOn: tomorrow })).thenRefuses('date-in-future', 'invalid', 'decidedOn');
    given(caseDecider, filed).when(close({ closedOn: tomorrow })).thenRefuses('date-in-future', 'invalid', 'closedOn');
  });

  it('a case is closed no earlier than it was filed', () => {
    given(caseDecider, filed).when(close({ closedOn: '2026-03-09' })).thenRefuses('closed-before-filed', 'invalid', 'closedOn');
  });

  it('a case goes to the judiciary once, and a court result needs that transfer first', () => {
    given(caseDecider, filed, toJudiciaryEvent).when(toJudiciary()).thenRefuses('case-already-transferred-to-judiciary', 'conflict');
    given(caseDecider, filed).when(courtResult()).thenRefuses('case-not-transferred-to-judiciary', 'conflict');
  });

  describe.each(BLANKS)('required text, blank value %j', (blank) => {
    it('FileCase needs a title', () => {
      given(caseDecider).when(fileCase({ title: blank })).thenRefuses('title-required', 'invalid', 'title');
    });
    it('ChangeCaseFlags needs a reason', () => {
      given(caseDecider, filed).when(flags(blank)).thenRefuses('reason-required', 'invalid', 'reason');
    });
    it('ReportCaseProgress needs a summary', () => {
      given(caseDecider, filed).when(report({ summary: blank })).thenRefuses('summary-required', 'invalid', 'summary');
    });
    it('CorrectRecovery needs a reason', () => {
      given(caseDecider, filed, recovered).when(correct({ reason: blank })).thenRefuses('reason-required', 'invalid', 'reason');
    });
    it('ImposeSanction needs the person, and a measure for a sanction without grades', () => {
      given(caseDecider, filed).when(sanction({ personName: blank })).thenRefuses('person-required', 'invalid', 'personName');
      given(caseDecider, filed)
        .when(sanction({ kind: 'admonishment', level: undefined, measure: blank }))
        .thenRefuses('sanction-measure-required', 'invalid', 'measure');
    });
    it('TransferCaseToJudiciary needs a summary', () => {
      given(caseDecider, filed).when(toJudiciary({ summary: blank })).thenRefuses('summary-required', 'invalid', 'summary');
    });
    it('RecordCourtResult needs the result', () => {
      given(caseDecider, filed, toJudiciaryEvent).when(courtResult({ result: blank })).thenRefuses('result-required', 'invalid', 'result');
    });
    it('CloseCase needs a summary', () => {
      given(caseDecider, filed).when(close({ summary: blank })).thenRefuses('summary-required', 'invalid', 'summary');
    });
  });
});
