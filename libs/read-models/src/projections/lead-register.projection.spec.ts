import { type ProjectedEvent, projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { leadRegisterProjection } from './lead-register.projection';

const subject = { name: '张某', post: '局长', unit: '县某局' };

function registered(feed: EventFeed, leadId = 'L1', extra: { confidential?: unknown } = {}) {
  const e = feed.next('lead.registered', {
    leadId,
    ledgerNo: 'LC-2026-0001',
    source: 'petition',
    reportingAgency: 'audit-bureau',
    subject,
    allegation: '违规收受礼金',
    receivedOn: '2026-03-02',
    important: true,
    hasInformant: true,
  });
  return { ...e, ...extra };
}

describe('lead-register projection', () => {
  it('given a registration, then one row held by the reporting agency with status registered and no informant', () => {
    const feed = new EventFeed();
    const rows = projectInMemory(leadRegisterProjection, [registered(feed)]);
    expect(rows).toEqual([
      {
        leadId: 'L1',
        ledgerNo: 'LC-2026-0001',
        year: 2026,
        source: 'petition',
        reportingAgency: 'audit-bureau',
        holderAgency: 'audit-bureau',
        status: 'registered',
        subjectName: '张某',
        subjectPost: '局长',
        subjectUnit: '县某局',
        subjectRank: null,
        allegation: '违规收受礼金',
        category: null,
        receivedOn: '2026-03-02',
        important: true,
        hasInformant: true,
        pendingTransferId: null,
        pendingFromAgency: null,
        pendingToAgency: null,
        pendingAcknowledged: null,
        transferCount: 0,
        dispositionMethod: null,
        dispositionDecidedOn: null,
        dispositionConcludedOn: null,
        caseId: null,
        caseNo: null,
        registeredPosition: 1,
        version: 1,
        lastPosition: 1,
      },
    ]);
  });

  it('given a transfer, acknowledged, forwarded and accepted, then the last receiver holds it and nothing is pending', () => {
    const feed = new EventFeed();
    const events: ProjectedEvent[] = [registered(feed)];
    events.push(feed.next('lead.transferred', { leadId: 'L1', transferId: 'T1', fromAgency: 'audit-bureau', toAgency: 'public-security', letterNo: '审移〔2026〕1号', reason: '属公安管辖', transferredOn: '2026-03-03' }));
    const afterTransfer = projectInMemory(leadRegisterProjection, events)[0];
    expect(afterTransfer).toMatchObject({ status: 'in-transfer', holderAgency: 'audit-bureau', pendingTransferId: 'T1', pendingToAgency: 'public-security', pendingAcknowledged: false, transferCount: 1 });

    events.push(feed.next('lead.transfer-acknowledged', { leadId: 'L1', transferId: 'T1', agency: 'public-security', acknowledgedOn: '2026-03-04' }));
    expect(projectInMemory(leadRegisterProjection, events)[0]).toMatchObject({ status: 'in-transfer', pendingAcknowledged: true });

    events.push(feed.next('lead.transfer-forwarded', { leadId: 'L1', transferId: 'T1', nextTransferId: 'T2', fromAgency: 'public-security', toAgency: 'procuratorate', letterNo: '公转〔2026〕2号', reason: '职务犯罪', forwardedOn: '2026-03-05' }));
    expect(projectInMemory(leadRegisterProjection, events)[0]).toMatchObject({ status: 'in-transfer', pendingTransferId: 'T2', pendingFromAgency: 'public-security', pendingToAgency: 'procuratorate', pendingAcknowledged: false, transferCount: 2 });

    events.push(feed.next('lead.transfer-acknowledged', { leadId: 'L1', transferId: 'T2', agency: 'procuratorate', acknowledgedOn: '2026-03-06' }));
    events.push(feed.next('lead.transfer-accepted', { leadId: 'L1', transferId: 'T2', agency: 'procuratorate', acceptedOn: '2026-03-09' }));
    expect(projectInMemory(leadRegisterProjection, events)[0]).toMatchObject({
      status: 'registered',
      holderAgency: 'procuratorate',
      pendingTransferId: null,
      pendingFromAgency: null,
      pendingToAgency: null,
      pendingAcknowledged: null,
      version: 6,
      lastPosition: 6,
    });
  });

  it('given a returned transfer, then the sender holds it again', () => {
    const feed = new EventFeed();
    const events = [
      registered(feed),
      feed.next('lead.transferred', { leadId: 'L1', transferId: 'T1', fromAgency: 'audit-bureau', toAgency: 'court', letterNo: 'x', reason: 'y', transferredOn: '2026-03-03' }),
      feed.next('lead.transfer-returned', { leadId: 'L1', transferId: 'T1', agency: 'court', toAgency: 'audit-bureau', reason: '不属管辖', returnedOn: '2026-03-04' }),
    ];
    expect(projectInMemory(leadRegisterProjection, events)[0]).toMatchObject({ status: 'registered', holderAgency: 'audit-bureau', pendingTransferId: null });
  });

  it.each([
    ['talk-inquiry', 'disposed'],
    ['preliminary-verification', 'disposed'],
    ['hold-pending', 'disposed'],
    ['close', 'closed'],
  ] as const)('given a %s disposition, then status %s', (method, status) => {
    const feed = new EventFeed();
    const events = [registered(feed), feed.next('lead.disposition-decided', { leadId: 'L1', method, rationale: 'r', agency: 'audit-bureau', decidedOn: '2026-03-10' })];
    expect(projectInMemory(leadRegisterProjection, events)[0]).toMatchObject({ status, dispositionMethod: method, dispositionDecidedOn: '2026-03-10', dispositionConcludedOn: null });
  });

  it('given a concluded inquiry and a conversion, then converted with the case number', () => {
    const feed = new EventFeed();
    const events = [
      registered(feed),
      feed.next('lead.disposition-decided', { leadId: 'L1', method: 'preliminary-verification', rationale: 'r', agency: 'audit-bureau', decidedOn: '2026-03-10' }),
      feed.next('lead.disposition-concluded', { leadId: 'L1', method: 'preliminary-verification', conclusion: '问题属实', concludedOn: '2026-03-20' }),
      feed.next('lead.converted-to-case', { leadId: 'L1', caseId: 'C1', caseNo: 'AJ-2026-0001', convertedOn: '2026-03-21' }),
    ];
    expect(projectInMemory(leadRegisterProjection, events)[0]).toMatchObject({
      status: 'converted',
      dispositionConcludedOn: '2026-03-20',
      caseId: 'C1',
      caseNo: 'AJ-2026-0001',
      version: 4,
    });
  });

  it('never stores the informant, even if an event object carried one', () => {
    const feed = new EventFeed();
    const leaky = registered(feed, 'L1', { confidential: { informant: { name: '李举报', contact: '13800000000' } } });
    const rows = projectInMemory(leadRegisterProjection, [leaky]);
    expect(JSON.stringify(rows)).not.toContain('李举报');
    expect(JSON.stringify(rows)).not.toContain('13800000000');
  });

  it('ignores events of a lead it never saw registered', () => {
    const feed = new EventFeed();
    const rows = projectInMemory(leadRegisterProjection, [feed.next('lead.transfer-accepted', { leadId: 'L9', transferId: 'T', agency: 'court', acceptedOn: '2026-03-01' })]);
    expect(rows).toEqual([]);
  });
});
