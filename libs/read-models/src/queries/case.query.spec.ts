import type { DataSource } from 'typeorm';
import { type GivenEvent, projectedReadModels } from '../testing/project-events';
import { BulletinSourceQuery } from './bulletin-source.query';
import { CaseQuery } from './case.query';
import { SupervisionQuery } from './supervision.query';

const filed = (caseId: string, leadAgency: string, coAgencies: string[], major: boolean, difficult: boolean): GivenEvent => [
  'case.filed',
  { caseId, caseNo: `AJ-2026-${caseId}`, title: `${caseId}案`, leadIds: [], leads: [], subjects: [{ name: '钱某', post: '主任', unit: '县某办' }], leadAgency, coAgencies, filedOn: '2026-02-01', major, difficult },
];
const item = (itemId: string, agency: string, dueOn: string): GivenEvent => [
  'supervision.opened',
  { itemId, itemNo: `DB-2026-${itemId}`, title: itemId, origin: 'leader-instruction', assigneeAgency: agency, dueOn, openedOn: '2026-03-01' },
];

describe('CaseQuery, SupervisionQuery and BulletinSourceQuery', () => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = await projectedReadModels([
      filed('1', 'discipline-commission', ['public-security'], true, false),
      filed('2', 'public-security', [], false, true),
      filed('3', 'audit-bureau', [], false, false),
      ['case.transferred-to-judiciary', { caseId: '1', toAgency: 'procuratorate', summary: 's', transferredOn: '2026-04-01' }],
      ['case.closed', { caseId: '3', summary: 's', closedOn: '2026-04-02' }],
      item('A', 'court', '2026-05-01'),
      item('B', 'court', '2026-04-01'),
      item('C', 'audit-bureau', '2026-04-15'),
      ['supervision.extension-requested', { itemId: 'C', requestId: 'E', currentDueOn: '2026-04-15', newDueOn: '2026-05-15', reason: 'r', requestedOn: '2026-04-10' }],
    ]);
  });
  afterAll(() => ds.destroy());

  it('lists cases with filters and the handling-agency scope', async () => {
    const q = new CaseQuery(ds);
    const ids = async (f: Parameters<CaseQuery['list']>[0]) => (await q.list(f)).items.map((c) => c.caseId);
    expect(await ids({})).toEqual(['3', '2', '1']);
    expect(await ids({ status: 'closed' })).toEqual(['3']);
    expect(await ids({ major: true })).toEqual(['1']);
    expect(await ids({ difficult: true })).toEqual(['2']);
    expect(await ids({ agency: 'public-security' })).toEqual(['2']);
    expect(await ids({ scopeAgency: 'public-security' })).toEqual(['2', '1']); // lead of 2, co-handler of 1
    expect(await ids({ scopeAgency: 'procuratorate' })).toEqual(['1']); // received it for prosecution
    expect(await q.get('1', { scopeAgency: 'audit-bureau' })).toBeNull();
    expect(await q.get('1')).toMatchObject({ caseNo: 'AJ-2026-1', coAgencies: ['public-security'], subjectNames: ['钱某'], judicialTransferOn: '2026-04-01', recoveredFen: 0 });
  });

  it('lists supervision items earliest due first, scoped to the assignee', async () => {
    const q = new SupervisionQuery(ds);
    expect((await q.list()).items.map((s) => s.itemId)).toEqual(['B', 'C', 'A']);
    expect((await q.list({ status: 'extension-requested' })).items).toMatchObject([{ itemId: 'C', pendingExtensionDueOn: '2026-05-15' }]);
    expect(await q.list({ scopeAgency: 'court' })).toMatchObject({ total: 2, items: [{ itemId: 'B' }, { itemId: 'A' }] });
    expect(await q.get('C', { scopeAgency: 'court' })).toBeNull();
  });

  it('lists the major and difficult cases as bulletin sources', async () => {
    const q = new BulletinSourceQuery(ds);
    expect((await q.listEligible()).items.map((b) => b.caseId).sort()).toEqual(['1', '2']);
    expect(await q.get('1')).toMatchObject({ major: true, subjects: [{ name: '钱某', post: '主任', unit: '县某办', rank: null }], judicialTransfer: { toAgency: 'procuratorate', summary: 's', transferredOn: '2026-04-01' } });
  });
});
