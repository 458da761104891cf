import { projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { leadAccessProjection } from './lead-access.projection';

describe('lead-access projection', () => {
  it('given registration, transfer, forward, acceptance and return, then one row per agency that saw the lead, first reason kept', () => {
    const f = new EventFeed();
    const rows = projectInMemory(leadAccessProjection, [
      f.next('lead.registered', { leadId: 'L1', ledgerNo: 'LC-2026-0001', source: 'petition', reportingAgency: 'audit-bureau', subject: { name: 'n', post: 'p', unit: 'u' }, allegation: 'a', receivedOn: '2026-03-02', important: false, hasInformant: false }),
      f.next('lead.transferred', { leadId: 'L1', transferId: 'T1', fromAgency: 'audit-bureau', toAgency: 'public-security', letterNo: 'l', reason: 'r', transferredOn: '2026-03-03' }),
      f.next('lead.transfer-forwarded', { leadId: 'L1', transferId: 'T1', nextTransferId: 'T2', fromAgency: 'public-security', toAgency: 'court', letterNo: 'l', reason: 'r', forwardedOn: '2026-03-04' }),
      f.next('lead.transfer-returned', { leadId: 'L1', transferId: 'T2', agency: 'court', toAgency: 'public-security', reason: 'r', returnedOn: '2026-03-05' }),
      f.next('lead.transfer-accepted', { leadId: 'L1', transferId: 'T2', agency: 'court', acceptedOn: '2026-03-06' }),
    ]);
    expect(rows).toEqual([
      { accessKey: 'L1|audit-bureau', leadId: 'L1', agency: 'audit-bureau', via: 'registered', sincePosition: 1 },
      { accessKey: 'L1|court', leadId: 'L1', agency: 'court', via: 'sent', sincePosition: 3 },
      { accessKey: 'L1|public-security', leadId: 'L1', agency: 'public-security', via: 'sent', sincePosition: 2 },
    ]);
  });
});
