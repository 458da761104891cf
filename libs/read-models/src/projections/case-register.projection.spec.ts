import { projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { caseRegisterProjection } from './case-register.projection';

describe('case-register projection', () => {
  it('given a case through progress, recoveries, a correction, sanction, judiciary and closing, then its exact row', () => {
    const f = new EventFeed();
    const rows = projectInMemory(caseRegisterProjection, [
      f.next('case.filed', {
        caseId: 'C1', caseNo: 'AJ-2026-0007', title: '孙某受贿案', leadIds: ['L1', 'L2'], leads: [],
        subjects: [{ name: '孙某', post: '局长', unit: '县某局' }, { name: '李某', post: '科员', unit: '县某局' }],
        leadAgency: 'discipline-commission', coAgencies: ['public-security'], filedOn: '2026-03-02', major: false, difficult: false,
      }),
      f.next('case.flags-changed', { caseId: 'C1', major: true, difficult: true, reason: 'r', changedOn: '2026-03-05' }),
      f.next('case.progress-reported', { caseId: 'C1', reportId: 'P2', stage: 'investigation', summary: 's', agency: 'discipline-commission', reportedOn: '2026-04-01' }),
      f.next('case.progress-reported', { caseId: 'C1', reportId: 'P1', stage: 'verification', summary: 's', agency: 'discipline-commission', reportedOn: '2026-03-20' }),
      f.next('case.loss-recovered', { caseId: 'C1', recoveryId: 'R1', amountFen: 500_000, category: 'confiscation', agency: 'procuratorate', recoveredOn: '2026-04-10' }),
      f.next('case.loss-recovery-corrected', { caseId: 'C1', recoveryId: 'R1', correctionId: 'K1', deltaFen: -20_000, correctedAmountFen: 480_000, category: 'confiscation', agency: 'procuratorate', recoveredOn: '2026-04-10', reason: 'r', correctedOn: '2026-04-12' }),
      f.next('case.sanction-imposed', { caseId: 'C1', sanctionId: 'S1', personName: '孙某', kind: 'party-discipline', level: 'expulsion', decidedOn: '2026-05-01', agency: 'discipline-commission' }),
      f.next('case.transferred-to-judiciary', { caseId: 'C1', toAgency: 'procuratorate', summary: 's', transferredOn: '2026-05-02' }),
      f.next('case.closed', { caseId: 'C1', summary: 's', closedOn: '2026-06-01' }),
    ]);
    expect(rows).toEqual([
      {
        caseId: 'C1', caseNo: 'AJ-2026-0007', year: 2026, title: '孙某受贿案', leadAgency: 'discipline-commission', coAgencies: ['public-security'],
        leadIds: ['L1', 'L2'], subjectNames: ['孙某', '李某'], major: true, difficult: true, status: 'closed', filedOn: '2026-03-02', closedOn: '2026-06-01',
        lastProgressOn: '2026-04-01', lastStage: 'investigation', recoveredFen: 480_000, judicialTransferOn: '2026-05-02', sanctionCount: 1,
        filedPosition: 1, version: 9, lastPosition: 9,
      },
    ]);
  });
});
