import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { audit, auditor, ctx, finance, leadership, office, police, procuratorate, TODAY } from '../testing/fixtures';
import { caseDecider, MAX_CASE_RECOVERED_FEN, MAX_RECOVERY_FEN, recoveredTotalFen } from './case.decider';
import type { CaseCommand } from './case.commands';
import type { CaseEvent, CaseFiled, LeadAtFiling } from './case.events';

const zhang = { name: '张某', post: '科长', unit: '县某局' };
const wang = { name: '王某', post: '股长', unit: '县某局' };
const lead = (leadId: string, subject = zhang): LeadAtFiling => ({
  leadId,
  ledgerNo: `LC-2026-000${leadId.slice(1)}`,
  source: 'audit-finding',
  allegation: '违规发放补贴',
  subject,
  receivedOn: '2026-03-01',
});

type Cmd<T extends CaseCommand['type']> = Omit<Extract<CaseCommand, { type: T }>, 'type' | 'ctx'>;

const fileCase = (actor: Actor, extra: Partial<Cmd<'FileCase'>> = {}): CaseCommand => ({
  type: 'FileCase',
  caseId: 'C1',
  caseNo: 'AJ-2026-0007',
  title: '县某局违规发放补贴案',
  leads: [lead('L1'), lead('L2'), lead('L3', wang)],
  leadAgency: 'public-security',
  coAgencies: ['audit-bureau', 'audit-bureau'],
  filedOn: '2026-03-15',
  major: true,
  difficult: false,
  ctx: ctx(actor),
  ...extra,
});

const filed: CaseFiled = {
  type: 'case.filed',
  data: {
    caseId: 'C1',
    caseNo: 'AJ-2026-0007',
    title: '县某局违规发放补贴案',
    leadIds: ['L1', 'L2', 'L3'],
    leads: [lead('L1'), lead('L2'), lead('L3', wang)],
    subjects: [zhang, wang],
    leadAgency: 'public-security',
    coAgencies: ['audit-bureau'],
    filedOn: '2026-03-15',
    major: true,
    difficult: false,
  },
};
const closed: CaseEvent = { type: 'case.closed', data: { caseId: 'C1', summary: '已结案', closedOn: TODAY } };

const recover = (actor: Actor, extra: Partial<Cmd<'RecordRecovery'>> = {}): CaseCommand => ({
  type: 'RecordRecovery',
  recoveryId: 'R1',
  amountFen: 1_250_000,
  category: 'confiscation',
  agency: 'public-security',
  recoveredOn: '2026-03-16',
  ctx: ctx(actor),
  ...extra,
});
const recovered: CaseEvent = {
  type: 'case.loss-recovered',
  data: { caseId: 'C1', recoveryId: 'R1', amountFen: 1_250_000, category: 'confiscation', agency: 'public-security', recoveredOn: '2026-03-16' },
};
const correct = (actor: Actor, correctedAmountFen: number, correctionId = 'X1'): CaseCommand => ({
  type: 'CorrectRecovery',
  recoveryId: 'R1',
  correctionId,
  correctedAmountFen,
  reason: '笔误',
  ctx: ctx(actor),
});
const corrected = (correctedAmountFen: number, deltaFen: number, correctionId = 'X1'): CaseEvent => ({
  type: 'case.loss-recovery-corrected',
  data: {
    caseId: 'C1',
    recoveryId: 'R1',
    correctionId,
    deltaFen,
    correctedAmountFen,
    category: 'confiscation',
    agency: 'public-security',
    recoveredOn: '2026-03-16',
    reason: '笔误',
    correctedOn: TODAY,
  },
});
const report = (actor: Actor, reportedOn = TODAY): CaseCommand => ({
  type: 'ReportCaseProgress',
  reportId: 'P1',
  stage: 'investigation',
  summary: '已调取账目',
  reportedOn,
  ctx: ctx(actor),
});
const sanction = (actor: Actor, extra: Partial<Cmd<'ImposeSanction'>> = {}): CaseCommand => ({
  type: 'ImposeSanction',
  sanctionId: 'S1',
  personName: '张某',
  kind: 'party-discipline',
  level: 'serious-warning',
  decidedOn: TODAY,
  ctx: ctx(actor),
  ...extra,
});
const toJudiciary = (actor: Actor): CaseCommand => ({
  type: 'TransferCaseToJudiciary',
  toAgency: 'procuratorate',
  summary: '涉嫌贪污罪',
  transferredOn: TODAY,
  ctx: ctx(actor),
});
const transferredToJudiciary: CaseEvent = {
  type: 'case.transferred-to-judiciary',
  data: { caseId: 'C1', toAgency: 'procuratorate', summary: '涉嫌贪污罪', transferredOn: TODAY },
};
const courtResult = (actor: Actor): CaseCommand => ({ type: 'RecordCourtResult', result: '判处有期徒刑三年', decidedOn: TODAY, ctx: ctx(actor) });
const close = (actor: Actor): CaseCommand => ({ type: 'CloseCase', summary: '已结案', closedOn: TODAY, ctx: ctx(actor) });
const flags = (actor: Actor, major: boolean, difficult: boolean): CaseCommand => ({ type: 'ChangeCaseFlags', major, difficult, reason: '案情变化', ctx: ctx(actor) });

describe('caseDecider', () => {
  describe('FileCase (立案)', () => {
    it('files from leads: co-agencies deduplicated, subjects listed once each', () => {
      given(caseDecider).when(fileCase(police)).then([filed]);
    });

    it('the office may file for any lead agency', () => {
      given(caseDecider).when(fileCase(office)).then([filed]);
    });

    it('only the office or the lead agency may file', () => {
      given(caseDecider).when(fileCase(audit)).thenRefuses('not-lead-agency', 'forbidden');
      given(caseDecider).when(fileCase(leadership)).thenRefuses('read-only-role', 'forbidden');
    });

    it('needs at least one lead', () => {
      given(caseDecider).when(fileCase(office, { leads: [] })).thenRefuses('case-needs-lead', 'invalid', 'leadIds');
    });

    it('the lead agency may not also be a co-agency', () => {
      given(caseDecider).when(fileCase(office, { coAgencies: ['public-security'] })).thenRefuses('lead-agency-in-co-agencies', 'invalid', 'coAgencies');
    });

    it('refuses a filing date before the latest of its leads was received', () => {
      given(caseDecider)
        .when(fileCase(office, { leads: [lead('L1'), { ...lead('L2'), receivedOn: '2026-03-10' }], filedOn: '2026-03-09' }))
        .thenRefuses('filed-before-received', 'invalid', 'filedOn');
    });

    it('refuses the same lead twice', () => {
      given(caseDecider).when(fileCase(office, { leads: [lead('L1'), lead('L1')] })).thenRefuses('duplicate-lead', 'invalid', 'leadIds');
    });

    it('refuses a filing date in the future and a second filing', () => {
      given(caseDecider).when(fileCase(office, { filedOn: '2026-03-17' })).thenRefuses('date-in-future', 'invalid', 'filedOn');
      given(caseDecider, filed).when(fileCase(office)).thenRefuses('case-already-filed', 'conflict');
    });
  });

  it.each([report(police), recover(police), correct(police, 1), sanction(police), toJudiciary(police), courtResult(police), close(police), flags(office, true, true)])(
    'every other command on an empty stream is case-not-found (%#)',
    (command) => {
      given(caseDecider).when(command).thenRefuses('case-not-found', 'not-found');
    },
  );

  describe('ReportCaseProgress (案情报告)', () => {
    it('a co-agency reports, booked to itself', () => {
      given(caseDecider, filed)
        .when(report(audit))
        .then([{ type: 'case.progress-reported', data: { caseId: 'C1', reportId: 'P1', stage: 'investigation', summary: '已调取账目', agency: 'audit-bureau', reportedOn: TODAY } }]);
    });

    it('the office reports on behalf of the lead agency', () => {
      given(caseDecider, filed)
        .when(report(office))
        .then([{ type: 'case.progress-reported', data: { caseId: 'C1', reportId: 'P1', stage: 'investigation', summary: '已调取账目', agency: 'public-security', reportedOn: TODAY } }]);
    });

    it('an agency outside the case may not report', () => {
      given(caseDecider, filed).when(report(finance)).thenRefuses('not-case-agency', 'forbidden');
    });

    it("not dated before the case's first lead was received", () => {
      given(caseDecider, filed).when(report(police, '2026-02-27')).thenRefuses('date-before-first-lead', 'invalid', 'reportedOn');
    });

    it('a report id is recorded once', () => {
      given(caseDecider, filed)
        .when(report(police))
        .then([{ type: 'case.progress-reported', data: { caseId: 'C1', reportId: 'P1', stage: 'investigation', summary: '已调取账目', agency: 'public-security', reportedOn: TODAY } }]);
      given(caseDecider, filed, { type: 'case.progress-reported', data: { caseId: 'C1', reportId: 'P1', stage: 'investigation', summary: '已调取账目', agency: 'public-security', reportedOn: TODAY } })
        .when(report(police))
        .thenRefuses('report-exists');
    });

    it('not in the future and not after closing', () => {
      given(caseDecider, filed).when(report(police, '2026-03-17')).thenRefuses('date-in-future', 'invalid', 'reportedOn');
      given(caseDecider, filed, closed).when(report(police)).thenRefuses('case-closed');
    });
  });

  describe('RecordRecovery (挽回经济损失)', () => {
    it('records an amount in integer fen', () => {
      given(caseDecider, filed).when(recover(police)).then([recovered]);
    });

    it.each([0, -100, 12.5, Number.MAX_SAFE_INTEGER + 1])('refuses a non-positive or non-integer amount (%p)', (amountFen) => {
      given(caseDecider, filed).when(recover(police, { amountFen })).thenRefuses('amount-not-positive', 'invalid', 'amountFen');
    });

    it('refuses an unknown category', () => {
      given(caseDecider, filed).when(recover(police, { category: 'gift' as never })).thenRefuses('category-invalid', 'invalid', 'category');
    });

    it('refuses one recovery above 100亿元 (a typing slip), so no read-model sum can lose integer precision', () => {
      given(caseDecider, filed).when(recover(police, { amountFen: MAX_RECOVERY_FEN + 1 })).thenRefuses('amount-too-large', 'invalid', 'amountFen');
      given(caseDecider, filed).when(recover(police, { amountFen: MAX_RECOVERY_FEN })).then([
        { type: 'case.loss-recovered', data: { ...(recovered.data as object), amountFen: MAX_RECOVERY_FEN } } as CaseEvent,
      ]);
    });

    it('refuses a recovery that takes the case total above 1000亿元', () => {
      const big = (i: number): CaseEvent => ({
        type: 'case.loss-recovered',
        data: { caseId: 'C1', recoveryId: `B${i}`, amountFen: MAX_RECOVERY_FEN, category: 'fine', agency: 'public-security', recoveredOn: '2026-03-16' },
      });
      const ten = Array.from({ length: MAX_CASE_RECOVERED_FEN / MAX_RECOVERY_FEN }, (_, i) => big(i));
      given(caseDecider, filed, ...ten).when(recover(police, { amountFen: 1 })).thenRefuses('case-total-too-large', 'invalid', 'amountFen');
    });

    it("refuses a recovery dated before the case's first lead was received (money may return during 初核, not before)", () => {
      given(caseDecider, filed).when(recover(police, { recoveredOn: '2026-02-28' })).thenRefuses('date-before-first-lead', 'invalid', 'recoveredOn');
      given(caseDecider, filed).when(recover(police, { recoveredOn: '2026-03-01' })).then([{ ...recovered, data: { ...(recovered.data as object), recoveredOn: '2026-03-01' } } as CaseEvent]);
    });

    it('not on a closed case', () => {
      given(caseDecider, filed, closed).when(recover(police)).thenRefuses('case-closed', 'conflict');
    });

    it('not dated in the future, and each recoveryId once', () => {
      given(caseDecider, filed).when(recover(police, { recoveredOn: '2026-04-01' })).thenRefuses('date-in-future', 'invalid', 'recoveredOn');
      given(caseDecider, filed, recovered).when(recover(police)).thenRefuses('recovery-exists');
    });

    it('an agency books only its own recoveries; the office books any', () => {
      given(caseDecider, filed).when(recover(audit)).thenRefuses('not-own-agency', 'forbidden', 'agency');
      given(caseDecider, filed).when(recover(office)).then([recovered]);
      given(caseDecider, filed).when(recover(finance, { agency: 'finance-bureau' })).thenRefuses('not-case-agency', 'forbidden');
    });
  });

  describe('CorrectRecovery (更正, a compensating entry)', () => {
    it('emits the delta and copies category, agency and date of the original', () => {
      given(caseDecider, filed, recovered).when(correct(police, 1_200_000)).then([corrected(1_200_000, -50_000)]);
    });

    it('corrects from the current amount after an earlier correction', () => {
      given(caseDecider, filed, recovered, corrected(1_200_000, -50_000)).when(correct(police, 1_300_000, 'X2')).then([corrected(1_300_000, 100_000, 'X2')]);
      expect(recoveredTotalFen(given(caseDecider, filed, recovered, corrected(1_200_000, -50_000)).state)).toBe(1_200_000);
    });

    it('may bring the amount to zero', () => {
      given(caseDecider, filed, recovered).when(correct(police, 0)).then([corrected(0, -1_250_000)]);
    });

    it('is allowed on a closed case (audits find clerical errors after 结案)', () => {
      given(caseDecider, filed, recovered, closed).when(correct(office, 1_200_000)).then([corrected(1_200_000, -50_000)]);
    });

    it('refuses a correction above the single-recovery cap', () => {
      given(caseDecider, filed, recovered).when(correct(police, MAX_RECOVERY_FEN + 1)).thenRefuses('amount-too-large', 'invalid', 'correctedAmountFen');
    });

    it('refuses an unknown recovery, a negative or unchanged amount, a reused correction id', () => {
      given(caseDecider, filed).when(correct(police, 5)).thenRefuses('recovery-not-found', 'not-found');
      given(caseDecider, filed, recovered).when(correct(police, -1)).thenRefuses('amount-negative', 'invalid', 'correctedAmountFen');
      given(caseDecider, filed, recovered).when(correct(police, 1.5)).thenRefuses('amount-negative', 'invalid', 'correctedAmountFen');
      given(caseDecider, filed, recovered).when(correct(police, 1_250_000)).thenRefuses('amount-unchanged', 'invalid', 'correctedAmountFen');
      given(caseDecider, filed, recovered, corrected(1_200_000, -50_000)).when(correct(police, 1_000)).thenRefuses('correction-exists');
    });
  });

  describe('ImposeSanction (处分)', () => {
    it('records a party-discipline sanction with a valid level', () => {
      given(caseDecider, filed)
        .when(sanction(police))
        .then([
          {
            type: 'case.sanction-imposed',
            data: { caseId: 'C1', sanctionId: 'S1', personName: '张某', kind: 'party-discipline', level: 'serious-warning', decidedOn: TODAY, agency: 'public-security' },
          },
        ]);
    });

    it('refuses an unknown kind or stage', () => {
      given(caseDecider, filed).when(sanction(police, { kind: 'fine' as never })).thenRefuses('kind-invalid', 'invalid', 'kind');
      given(caseDecider, filed).when({ type: 'ReportCaseProgress', reportId: 'P1', stage: 'trial' as never, summary: 'x', reportedOn: TODAY, ctx: ctx(police) }).thenRefuses('stage-invalid', 'invalid', 'stage');
    });

    it('refuses a level that does not belong to the kind', () => {
      given(caseDecider, filed).when(sanction(police, { kind: 'party-discipline', level: 'demerit' })).thenRefuses('sanction-level-invalid', 'invalid', 'level');
      given(caseDecider, filed).when(sanction(police, { kind: 'government-discipline', level: undefined })).thenRefuses('sanction-level-invalid', 'invalid', 'level');
    });

    it('admonishment and organizational handling need a measure, not a level', () => {
      given(caseDecider, filed).when(sanction(police, { kind: 'admonishment', level: undefined })).thenRefuses('sanction-measure-required', 'invalid', 'measure');
      given(caseDecider, filed).when(sanction(police, { kind: 'organizational-handling', level: 'warning', measure: '调离' })).thenRefuses('sanction-level-invalid');
      given(caseDecider, filed)
        .when(sanction(audit, { kind: 'admonishment', level: undefined, measure: '诫勉谈话一次' }))
        .then([
          {
            type: 'case.sanction-imposed',
            data: { caseId: 'C1', sanctionId: 'S1', personName: '张某', kind: 'admonishment', measure: '诫勉谈话一次', decidedOn: TODAY, agency: 'audit-bureau' },
          },
        ]);
    });

    it('not after closing', () => {
      given(caseDecider, filed, closed).when(sanction(police)).thenRefuses('case-closed');
    });
  });

  describe('judicial transfer (移送司法) and court results', () => {
    it('transfers once', () => {
      given(caseDecider, filed).when(toJudiciary(police)).then([transferredToJudiciary]);
      given(caseDecider, filed, transferredToJudiciary).when(toJudiciary(police)).thenRefuses('case-already-transferred-to-judiciary');
    });

    it('not after closing', () => {
      given(caseDecider, filed, closed).when(toJudiciary(police)).thenRefuses('case-closed');
    });

    it('only to a judicial organ (procuratorate, public security, court)', () => {
      given(caseDecider, filed)
        .when({ ...toJudiciary(police), toAgency: 'finance-bureau' } as CaseCommand)
        .thenRefuses('not-judicial-organ', 'invalid', 'toAgency');
    });

    it('a court result needs a judicial transfer first', () => {
      given(caseDecider, filed).when(courtResult(procuratorate)).thenRefuses('not-case-agency', 'forbidden');
      given(caseDecider, filed).when(courtResult(police)).thenRefuses('case-not-transferred-to-judiciary');
      given(caseDecider, filed, transferredToJudiciary)
        .when(courtResult(police))
        .then([{ type: 'case.court-result-recorded', data: { caseId: 'C1', result: '判处有期徒刑三年', decidedOn: TODAY } }]);
    });

    it('a court result may arrive after closing', () => {
      given(caseDecider, filed, transferredToJudiciary, closed)
        .when(courtResult(office))
        .then([{ type: 'case.court-result-recorded', data: { caseId: 'C1', result: '判处有期徒刑三年', decidedOn: TODAY } }]);
    });
  });

  describe('CloseCase (结案)', () => {
    it('the lead agency closes once', () => {
      given(caseDecider, filed).when(close(police)).then([closed]);
      given(caseDecider, filed, closed).when(close(police)).thenRefuses('case-already-closed', 'conflict');
    });

    it('a co-agency may not close the case', () => {
      given(caseDecider, filed).when(close(audit)).thenRefuses('not-lead-agency', 'forbidden');
    });
  });

  describe('ChangeCaseFlags (重大/疑难)', () => {
    it('office only', () => {
      given(caseDecider, filed).when(flags(police, true, true)).thenRefuses('office-only', 'forbidden');
      given(caseDecider, filed).when(flags(auditor, true, true)).thenRefuses('read-only-role', 'forbidden');
    });

    it('changes the flags, and is a no-op when nothing changes', () => {
      given(caseDecider, filed)
        .when(flags(office, true, true))
        .then([{ type: 'case.flags-changed', data: { caseId: 'C1', major: true, difficult: true, reason: '案情变化', changedOn: TODAY } }]);
      given(caseDecider, filed).when(flags(office, true, false)).thenNothing();
    });
  });
});
