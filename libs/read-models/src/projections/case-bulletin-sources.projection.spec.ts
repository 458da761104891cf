import { projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { caseBulletinSourcesProjection } from './case-bulletin-sources.projection';

describe('case-bulletin-sources projection', () => {
  it('given a major case history, then one row with everything a 《案情专报》 is assembled from, and no informant', () => {
    const f = new EventFeed();
    const subject = { name: '周某', post: '局长', unit: '县交通局', rank: '正科' };
    const leak = { informant: { name: '举报人甲', contact: '1' } };
    const rows = projectInMemory(caseBulletinSourcesProjection, [
      f.next('case.filed', {
        caseId: 'C1', caseNo: 'AJ-2026-0001', title: '周某受贿案', leadIds: ['L1'],
        // an extra field on a lead must not pass through
        leads: [{ leadId: 'L1', ledgerNo: 'LC-2026-0042', source: 'petition', allegation: '收受工程款', subject, receivedOn: '2026-01-10', disposition: { method: 'preliminary-verification', rationale: '初核', decidedOn: '2026-01-15' }, ...leak } as never],
        subjects: [subject], leadAgency: 'discipline-commission', coAgencies: ['public-security'], filedOn: '2026-02-01', major: true, difficult: false,
      }),
      f.next('case.progress-reported', { caseId: 'C1', reportId: 'P1', stage: 'investigation', summary: '查明收受50万元', agency: 'discipline-commission', reportedOn: '2026-03-01' }),
      f.next('case.sanction-imposed', { caseId: 'C1', sanctionId: 'S1', personName: '周某', kind: 'party-discipline', level: 'expulsion', decidedOn: '2026-04-01', agency: 'discipline-commission' }),
      f.next('case.loss-recovered', { caseId: 'C1', recoveryId: 'R1', amountFen: 50_000_000, category: 'confiscation', agency: 'discipline-commission', recoveredOn: '2026-04-02' }),
      f.next('case.loss-recovered', { caseId: 'C1', recoveryId: 'R2', amountFen: 100, category: 'fine', agency: 'court', recoveredOn: '2026-04-03' }),
      f.next('case.loss-recovery-corrected', { caseId: 'C1', recoveryId: 'R1', correctionId: 'K1', deltaFen: -1_000, correctedAmountFen: 49_999_000, category: 'confiscation', agency: 'discipline-commission', recoveredOn: '2026-04-02', reason: 'r', correctedOn: '2026-04-05' }),
      f.next('case.transferred-to-judiciary', { caseId: 'C1', toAgency: 'procuratorate', summary: '涉嫌受贿罪', transferredOn: '2026-04-10' }),
      f.next('case.court-result-recorded', { caseId: 'C1', result: '有期徒刑五年', decidedOn: '2026-09-01' }),
      f.next('case.closed', { caseId: 'C1', summary: '结案', closedOn: '2026-09-10' }),
    ]);
    expect(rows).toEqual([
      {
        caseId: 'C1', caseNo: 'AJ-2026-0001', title: '周某受贿案', leadAgency: 'discipline-commission', coAgencies: ['public-security'], major: true, difficult: false,
        status: 'closed', filedOn: '2026-02-01', closedOn: '2026-09-10', closingSummary: '结案',
        subjects: [{ name: '周某', post: '局长', unit: '县交通局', rank: '正科' }],
        leads: [{ leadId: 'L1', ledgerNo: 'LC-2026-0042', source: 'petition', allegation: '收受工程款', subject: { name: '周某', post: '局长', unit: '县交通局', rank: '正科' }, receivedOn: '2026-01-10', disposition: { method: 'preliminary-verification', rationale: '初核', decidedOn: '2026-01-15' } }],
        progress: [{ reportId: 'P1', stage: 'investigation', summary: '查明收受50万元', agency: 'discipline-commission', reportedOn: '2026-03-01' }],
        sanctions: [{ sanctionId: 'S1', personName: '周某', kind: 'party-discipline', level: 'expulsion', measure: null, decidedOn: '2026-04-01', agency: 'discipline-commission' }],
        judicialTransfer: { toAgency: 'procuratorate', summary: '涉嫌受贿罪', transferredOn: '2026-04-10' },
        courtResult: { result: '有期徒刑五年', decidedOn: '2026-09-01' },
        recoveredFen: 49_999_100,
        recoveredByCategory: { confiscation: 49_999_000, fine: 100 },
        version: 9,
        lastPosition: 9,
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain('举报人甲');
  });
});
