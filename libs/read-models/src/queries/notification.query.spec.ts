import type { DataSource } from 'typeorm';
import { type GivenEvent, projectedReadModels } from '../testing/project-events';
import { NotificationQuery } from './notification.query';

const opened = (itemId: string, link: { caseId?: string; leadId?: string }): GivenEvent => [
  'supervision.opened',
  { itemId, itemNo: `DB-${itemId}`, title: `督办${itemId}`, origin: 'office', assigneeAgency: 'court', dueOn: '2026-04-30', openedOn: '2026-04-01', ...link },
];
const itemReminded = (itemId: string): GivenEvent => [
  'supervision.reminder-sent',
  { itemId, step: 'before-3', dueOn: '2026-04-30', agency: 'court', ref: `DB-${itemId}`, title: `督办${itemId}`, remindedOn: '2026-04-27' },
];
const leadReminded = (leadId: string): GivenEvent => [
  'lead.disposition-reminder-sent',
  { leadId, method: 'talk-inquiry', step: 'before-1', dueOn: '2026-04-13', agency: 'audit-bureau', ref: `LC-${leadId}`, title: '某（县某局）', remindedOn: '2026-04-10' },
];

describe('NotificationQuery', () => {
  let ds: DataSource;
  let q: NotificationQuery;
  const refs = async (req: Parameters<NotificationQuery['list']>[0]) => {
    const page = await q.list(req);
    return { total: page.total, refs: page.items.map((n) => n.refId).sort() };
  };

  beforeAll(async () => {
    // S1 is opened for case C1, S2 for lead L9, S3 for neither; L1 and L2 are leads with their own clocks
    ds = await projectedReadModels([
      opened('S1', { caseId: 'C1' }),
      opened('S2', { leadId: 'L9' }),
      opened('S3', {}),
      itemReminded('S1'),
      itemReminded('S2'),
      itemReminded('S3'),
      leadReminded('L1'),
      leadReminded('L2'),
    ]);
    q = new NotificationQuery(ds);
  });
  afterAll(() => ds.destroy());

  it('given a reader implicated in nothing, when listing, then every notification is there', async () => {
    expect(await refs({ excludeLeadIds: [], excludeCaseIds: [] })).toEqual({ total: 5, refs: ['L1', 'L2', 'S1', 'S2', 'S3'] });
  });

  it('given hidden leads and cases (回避), when listing, then their notifications and those of supervision items opened for them are left out, and the total agrees', async () => {
    expect(await refs({ excludeLeadIds: ['L1'], excludeCaseIds: ['C1'] })).toEqual({ total: 3, refs: ['L2', 'S2', 'S3'] });
    expect(await refs({ excludeLeadIds: ['L9'] })).toEqual({ total: 4, refs: ['L1', 'L2', 'S1', 'S3'] });
    expect(await refs({ excludeCaseIds: ['C1'] })).toEqual({ total: 4, refs: ['L1', 'L2', 'S2', 'S3'] });
  });

  it('given hidden items and a small page, when paging, then the total counts only what the pages can show', async () => {
    const first = await q.list({ excludeLeadIds: ['L1', 'L9'], excludeCaseIds: ['C1'], limit: 1 });
    const second = await q.list({ excludeLeadIds: ['L1', 'L9'], excludeCaseIds: ['C1'], limit: 1, offset: 1 });
    const third = await q.list({ excludeLeadIds: ['L1', 'L9'], excludeCaseIds: ['C1'], limit: 1, offset: 2 });
    expect(first.total).toBe(2);
    expect([...first.items, ...second.items].map((n) => n.refId).sort()).toEqual(['L2', 'S3']);
    expect(third.items).toEqual([]);
  });
});
