import type { DataSource } from 'typeorm';
import { type GivenEvent, projectedReadModels } from '../testing/project-events';
import { RecoveredLossQuery } from './recovered-loss.query';

const filed = (caseId: string, caseNo: string, title: string): GivenEvent => [
  'case.filed',
  { caseId, caseNo, title, leadIds: [], leads: [], subjects: [], leadAgency: 'discipline-commission', coAgencies: [], filedOn: '2025-11-01', major: false, difficult: false },
];

describe('RecoveredLossQuery.totals', () => {
  let ds: DataSource;
  let query: RecoveredLossQuery;

  beforeAll(async () => {
    ds = await projectedReadModels([
      filed('C1', 'AJ-2026-0001', '甲某受贿案'),
      filed('C2', 'AJ-2025-0009', '乙某挪用案'),
      ['case.loss-recovered', { caseId: 'C1', recoveryId: 'R1', amountFen: 1_000_000, category: 'confiscation', agency: 'procuratorate', recoveredOn: '2026-03-31' }],
      ['case.loss-recovered', { caseId: 'C1', recoveryId: 'R2', amountFen: 250_050, category: 'restitution', agency: 'finance-bureau', recoveredOn: '2026-04-01' }],
      ['case.loss-recovered', { caseId: 'C2', recoveryId: 'R3', amountFen: 3_000, category: 'fine', agency: 'procuratorate', recoveredOn: '2025-12-31' }],
      // corrected in May, booked in the original's agency, category and date (Q1)
      ['case.loss-recovery-corrected', { caseId: 'C1', recoveryId: 'R1', correctionId: 'K1', deltaFen: -100_000, correctedAmountFen: 900_000, category: 'confiscation', agency: 'procuratorate', recoveredOn: '2026-03-31', reason: '多计', correctedOn: '2026-05-10' }],
    ]);
    query = new RecoveredLossQuery(ds);
  });
  afterAll(() => ds.destroy());

  it('groups by agency with zh-CN names, exact totals and distinct case counts', async () => {
    expect(await query.totals({ groupBy: 'agency' })).toEqual({
      totalFen: 1_153_050,
      caseCount: 2,
      rows: [
        { key: 'finance-bureau', label: '县财政局', totalFen: 250_050, caseCount: 1 },
        { key: 'procuratorate', label: '县人民检察院', totalFen: 903_000, caseCount: 2 },
      ],
    });
  });

  it('groups by year and by quarter, corrections counting in the original period', async () => {
    expect((await query.totals({ groupBy: 'year' })).rows).toEqual([
      { key: '2025', label: '2025年', totalFen: 3_000, caseCount: 1 },
      { key: '2026', label: '2026年', totalFen: 1_150_050, caseCount: 1 },
    ]);
    expect((await query.totals({ groupBy: 'quarter' })).rows).toEqual([
      { key: '2025-Q4', label: '2025年第4季度', totalFen: 3_000, caseCount: 1 },
      { key: '2026-Q1', label: '2026年第1季度', totalFen: 900_000, caseCount: 1 },
      { key: '2026-Q2', label: '2026年第2季度', totalFen: 250_050, caseCount: 1 },
    ]);
  });

  it('groups by category and by case with labels', async () => {
    expect((await query.totals({ groupBy: 'category' })).rows).toEqual([
      { key: 'confiscation', label: '追缴', totalFen: 900_000, caseCount: 1 },
      { key: 'fine', label: '罚没', totalFen: 3_000, caseCount: 1 },
      { key: 'restitution', label: '退赔', totalFen: 250_050, caseCount: 1 },
    ]);
    expect((await query.totals({ groupBy: 'case' })).rows).toEqual([
      { key: 'C2', label: 'AJ-2025-0009 乙某挪用案', totalFen: 3_000, caseCount: 1 },
      { key: 'C1', label: 'AJ-2026-0001 甲某受贿案', totalFen: 1_150_050, caseCount: 1 },
    ]);
  });

  it('filters on the recovery date, inclusive at both ends', async () => {
    expect(await query.totals({ groupBy: 'category', from: '2026-01-01', to: '2026-03-31' })).toEqual({
      totalFen: 900_000,
      caseCount: 1,
      rows: [{ key: 'confiscation', label: '追缴', totalFen: 900_000, caseCount: 1 }],
    });
    expect(await query.totals({ groupBy: 'agency', from: '2027-01-01' })).toEqual({ totalFen: 0, caseCount: 0, rows: [] });
  });

  it('uses configured agency names over the seed names', async () => {
    const { rows } = await query.totals({ groupBy: 'agency', to: '2025-12-31', agencyNames: { procuratorate: '某县人民检察院' } });
    expect(rows).toEqual([{ key: 'procuratorate', label: '某县人民检察院', totalFen: 3_000, caseCount: 1 }]);
  });

  it('sums large amounts exactly', async () => {
    const big = await projectedReadModels([
      filed('C1', 'AJ-2026-0001', '大案'),
      ['case.loss-recovered', { caseId: 'C1', recoveryId: 'R1', amountFen: 4_503_599_627_370_495, category: 'fine', agency: 'court', recoveredOn: '2026-01-01' }],
      ['case.loss-recovered', { caseId: 'C1', recoveryId: 'R2', amountFen: 4_503_599_627_370_496, category: 'fine', agency: 'court', recoveredOn: '2026-01-02' }],
    ]);
    expect((await new RecoveredLossQuery(big).totals({ groupBy: 'year' })).totalFen).toBe(9_007_199_254_740_991);
    await big.destroy();
  });
});
