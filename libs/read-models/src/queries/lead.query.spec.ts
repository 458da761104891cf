import type { DataSource } from 'typeorm';
import { type GivenEvent, projectedReadModels } from '../testing/project-events';
import { LeadQuery } from './lead.query';

const lead = (leadId: string, agency: string, source: 'petition' | 'audit-finding' = 'petition'): GivenEvent => [
  'lead.registered',
  { leadId, ledgerNo: `LC-2026-${leadId}`, source, reportingAgency: agency, subject: { name: '某', post: 'p', unit: 'u' }, allegation: 'a', receivedOn: '2026-03-02', important: false, hasInformant: true },
];

describe('LeadQuery', () => {
  let ds: DataSource;
  let query: LeadQuery;

  beforeAll(async () => {
    ds = await projectedReadModels([
      lead('1', 'audit-bureau'),
      lead('2', 'audit-bureau', 'audit-finding'),
      lead('3', 'finance-bureau'),
      // 2 is sent to the court, which returns it: the court keeps seeing it (it was sent it)
      ['lead.transferred', { leadId: '2', transferId: 'T', fromAgency: 'audit-bureau', toAgency: 'court', letterNo: 'l', reason: 'r', transferredOn: '2026-03-03' }],
      ['lead.transfer-returned', { leadId: '2', transferId: 'T', agency: 'court', toAgency: 'audit-bureau', reason: 'r', returnedOn: '2026-03-04' }],
      // 3 goes to public security and is forwarded to the procuratorate, which accepts it
      ['lead.transferred', { leadId: '3', transferId: 'U', fromAgency: 'finance-bureau', toAgency: 'public-security', letterNo: 'l', reason: 'r', transferredOn: '2026-03-03' }],
      ['lead.transfer-forwarded', { leadId: '3', transferId: 'U', nextTransferId: 'V', fromAgency: 'public-security', toAgency: 'procuratorate', letterNo: 'l', reason: 'r', forwardedOn: '2026-03-04' }],
      ['lead.transfer-accepted', { leadId: '3', transferId: 'V', agency: 'procuratorate', acceptedOn: '2026-03-05' }],
      ['lead.disposition-decided', { leadId: '1', method: 'close', rationale: 'r', agency: 'audit-bureau', decidedOn: '2026-03-06' }],
    ]);
    query = new LeadQuery(ds);
  });
  afterAll(() => ds.destroy());

  it('lists newest first with a total, filtered by status, holder agency and source, paged', async () => {
    expect((await query.list()).items.map((l) => l.leadId)).toEqual(['3', '2', '1']);
    expect(await query.list({ status: 'closed' })).toMatchObject({ total: 1, items: [{ leadId: '1', status: 'closed' }] });
    expect((await query.list({ agency: 'procuratorate' })).items.map((l) => l.leadId)).toEqual(['3']);
    expect((await query.list({ source: 'audit-finding' })).items.map((l) => l.leadId)).toEqual(['2']);
    expect(await query.list({ limit: 1, offset: 1 })).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ leadId: '2' }] });
  });

  it('walks the ledger by keyset (before the last row seen) in the same order as by offset, with the same total', async () => {
    // given the first page of one lead
    const first = await query.list({ limit: 1 });
    // when the next pages are asked before the last row's registration position
    const second = await query.list({ limit: 1, before: first.items[0]!.registeredPosition });
    const third = await query.list({ limit: 1, before: second.items[0]!.registeredPosition });
    // then they are the pages offsets give, each with the filter's whole total, and nothing comes after the last
    expect([first, second, third].map((p) => [p.total, p.items.map((l) => l.leadId)])).toEqual([
      [3, ['3']],
      [3, ['2']],
      [3, ['1']],
    ]);
    expect((await query.list({ limit: 1, before: third.items[0]!.registeredPosition })).items).toEqual([]);
    // scoped and filtered alike
    const scoped = await query.list({ scopeAgency: 'audit-bureau', limit: 1 });
    expect(await query.list({ scopeAgency: 'audit-bureau', limit: 5, before: scoped.items[0]!.registeredPosition })).toMatchObject({ total: 2, items: [{ leadId: '1' }] });
  });

  it('scopes an agency to what it registered, holds or was sent', async () => {
    const ids = async (scopeAgency: string) => (await query.list({ scopeAgency })).items.map((l) => l.leadId);
    expect(await ids('audit-bureau')).toEqual(['2', '1']);
    expect(await ids('court')).toEqual(['2']);
    expect(await ids('public-security')).toEqual(['3']);
    expect(await ids('procuratorate')).toEqual(['3']);
    expect(await ids('finance-bureau')).toEqual(['3']);
    expect(await ids('organization-dept')).toEqual([]);
    expect((await query.list({ scopeAgency: 'court' })).total).toBe(1);
  });

  it('gets one lead, or null outside the scope; never an informant field', async () => {
    const row = await query.get('2');
    expect(row).toMatchObject({ leadId: '2', holderAgency: 'audit-bureau', hasInformant: true, status: 'registered' });
    expect(Object.keys(row ?? {}).filter((k) => /informant/i.test(k))).toEqual(['hasInformant']);
    expect(await query.get('2', { scopeAgency: 'court' })).toMatchObject({ leadId: '2' });
    expect(await query.get('2', { scopeAgency: 'procuratorate' })).toBeNull();
    expect(await query.get('nope')).toBeNull();
  });
});
