import { projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { caseAccessProjection } from './case-access.projection';

describe('case-access projection', () => {
  it('given a filing with co-agencies and a judicial transfer, then rows for lead, co and judicial agencies', () => {
    const f = new EventFeed();
    const rows = projectInMemory(caseAccessProjection, [
      f.next('case.filed', { caseId: 'C1', caseNo: 'AJ-2026-0001', title: 't', leadIds: [], leads: [], subjects: [], leadAgency: 'discipline-commission', coAgencies: ['public-security', 'discipline-commission'], filedOn: '2026-03-02', major: true, difficult: false }),
      f.next('case.transferred-to-judiciary', { caseId: 'C1', toAgency: 'procuratorate', summary: 's', transferredOn: '2026-04-01' }),
      f.next('case.transferred-to-judiciary', { caseId: 'C1', toAgency: 'public-security', summary: 's', transferredOn: '2026-04-02' }),
    ]);
    expect(rows).toEqual([
      { accessKey: 'C1|discipline-commission', caseId: 'C1', agency: 'discipline-commission', role: 'lead', sincePosition: 1 },
      { accessKey: 'C1|procuratorate', caseId: 'C1', agency: 'procuratorate', role: 'judicial', sincePosition: 2 },
      { accessKey: 'C1|public-security', caseId: 'C1', agency: 'public-security', role: 'co', sincePosition: 1 },
    ]);
  });
});
