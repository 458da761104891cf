import type { BulletinContent } from '@coord/domain';
import type { DataSource } from 'typeorm';
import { type GivenEvent, projectedReadModels } from '../testing/project-events';
import { BulletinRegisterQuery } from './bulletin-register.query';

const content: BulletinContent = {
  title: 't',
  sections: { subject: 's', source: 's', allegations: 's', disposition: 's', facts: 's', measures: 's', sanctions: 's', recovered: 's', nextSteps: 's' },
};
const person = { userId: 'u', username: 'office', name: 'office' };
const drafted = (id: string, draftedOn = '2026-03-01'): GivenEvent => [
  'bulletin.drafted',
  { bulletinId: id, caseId: `C-${id}`, caseNo: 'AJ-2026-0001', content: { ...content, title: id }, drafter: person, draftedOn, basis: { caseVersion: 1, recoveredFen: 0 } },
];
const issued = (id: string, year: number, seq: number): GivenEvent => [
  'bulletin.issued',
  { bulletinId: id, revision: 1, year, seq, issueNo: `〔${year}〕第${seq}期`, issuedOn: `${year}-06-01`, issuer: 'x', distribution: { mainTo: ['县委'], copyTo: [] } },
];

describe('BulletinRegisterQuery', () => {
  let ds: DataSource;
  let q: BulletinRegisterQuery;

  beforeAll(async () => {
    ds = await projectedReadModels([drafted('A'), drafted('B'), drafted('C'), drafted('D', '2026-03-05'), issued('A', 2025, 7), issued('B', 2026, 1), issued('C', 2026, 2)]);
    q = new BulletinRegisterQuery(ds);
  });
  afterAll(() => ds.destroy());

  it('lists a year in issue-number order (newest first)', async () => {
    const page = await q.list({ year: 2026 });
    expect(page.total).toBe(2);
    expect(page.items.map((b) => [b.issueNo, b.bulletinId])).toEqual([
      ['〔2026〕第2期', 'C'],
      ['〔2026〕第1期', 'B'],
    ]);
  });

  it('lists everything with unnumbered drafts first, then by year and number', async () => {
    const page = await q.list({});
    expect(page.items.map((b) => b.bulletinId)).toEqual(['D', 'C', 'B', 'A']);
    expect((await q.list({ status: 'draft' })).items.map((b) => b.bulletinId)).toEqual(['D']);
    expect((await q.list({ caseId: 'C-A' })).items.map((b) => b.bulletinId)).toEqual(['A']);
  });

  it('given cases hidden from the reader (回避), when listing, then their bulletins are left out and the total agrees', async () => {
    const page = await q.list({ excludeCaseIds: ['C-B', 'C-D'] });
    expect(page.items.map((b) => b.bulletinId)).toEqual(['C', 'A']);
    expect(page.total).toBe(2);
    const paged = await q.list({ excludeCaseIds: ['C-C'], limit: 2, offset: 2 });
    expect([paged.total, paged.items.map((b) => b.bulletinId)]).toEqual([3, ['A']]);
    expect((await q.list({ excludeCaseIds: [] })).total).toBe(4);
  });

  it('gets one row, or null', async () => {
    expect(await q.get('B')).toMatchObject({ status: 'issued', year: 2026, seq: 1, distribution: { mainTo: ['县委'], copyTo: [] } });
    expect(await q.get('nope')).toBeNull();
  });
});
