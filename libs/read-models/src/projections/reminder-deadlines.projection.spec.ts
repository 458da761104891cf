import { type ProjectedEvent, projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { reminderDeadlinesProjection } from './reminder-deadlines.projection';

const reg = (f: EventFeed, leadId: string) =>
  f.next('lead.registered', { leadId, ledgerNo: `LC-${leadId}`, source: 'petition', reportingAgency: 'audit-bureau', subject: { name: '王某', post: '局长', unit: '县某局' }, allegation: 'x', receivedOn: '2026-03-02', important: false, hasInformant: false });

describe('reminder-deadlines projection (the scheduler’s work list)', () => {
  it('a supervision item: open with its fixed due date; extension moves it; a result pauses it; sent back reopens; closed ends it; fired rungs are remembered', () => {
    const f = new EventFeed();
    const events: ProjectedEvent[] = [
      f.next('supervision.opened', { itemId: 'S1', itemNo: 'DB-1', title: '整改', origin: 'office', assigneeAgency: 'court', dueOn: '2026-04-30', openedOn: '2026-03-02' }),
    ];
    const now = () => projectInMemory(reminderDeadlinesProjection, events);
    expect(now()).toEqual([
      {
        deadlineId: 'supervision-item:S1', kind: 'supervision-item', streamId: 'supervision-S1', refId: 'S1', transferId: null, method: null, agency: 'court',
        startOn: '2026-03-02', clockParam: null, fixedDueOn: '2026-04-30', closedOn: null, lastStep: null, lastStepDueOn: null, updatedPosition: 1,
      },
    ]);
    events.push(f.next('supervision.reminder-sent', { itemId: 'S1', step: 'before-3', dueOn: '2026-04-30', agency: 'court', ref: 'DB-1', title: '整改', remindedOn: '2026-04-27' }));
    expect(now()[0]).toMatchObject({ lastStep: 'before-3', lastStepDueOn: '2026-04-30', closedOn: null });
    events.push(f.next('supervision.extension-approved', { itemId: 'S1', requestId: 'E', previousDueOn: '2026-04-30', newDueOn: '2026-05-31', approvedOn: '2026-04-28' }));
    expect(now()[0]).toMatchObject({ fixedDueOn: '2026-05-31', lastStepDueOn: '2026-04-30' });
    events.push(f.next('supervision.result-reported', { itemId: 'S1', resultId: 'R', summary: 's', agency: 'court', reportedOn: '2026-05-10' }));
    expect(now()[0]).toMatchObject({ closedOn: '2026-05-10' });
    events.push(f.next('supervision.result-sent-back', { itemId: 'S1', resultId: 'R', comment: 'c', reviewedOn: '2026-05-12' }));
    expect(now()[0]).toMatchObject({ closedOn: null });
    events.push(f.next('supervision.escalated', { itemId: 'S1', step: 'after-1', level: 1, toRole: 'group-leader', daysOverdue: 1, dueOn: '2026-05-31', agency: 'court', ref: 'DB-1', title: '整改', escalatedOn: '2026-06-01' }));
    expect(now()[0]).toMatchObject({ lastStep: 'after-1', lastStepDueOn: '2026-05-31' });
    events.push(f.next('supervision.closed', { itemId: 'S1', closedOn: '2026-06-03' }));
    expect(now()[0]).toMatchObject({ closedOn: '2026-06-03', updatedPosition: 7 });
  });

  it('a transfer: acknowledgement clock until 签收, then the decision clock until accepted; a forward opens the next transfer’s clock', () => {
    const f = new EventFeed();
    const events = [
      reg(f, 'L1'),
      f.next('lead.transferred', { leadId: 'L1', transferId: 'T1', fromAgency: 'audit-bureau', toAgency: 'public-security', letterNo: 'a', reason: 'b', transferredOn: '2026-03-02' }),
      f.next('lead.transfer-reminder-sent', { leadId: 'L1', transferId: 'T1', clock: 'acknowledgement', step: 'before-1', dueOn: '2026-03-09', agency: 'public-security', ref: 'LC-L1', title: 't', remindedOn: '2026-03-06' }),
      f.next('lead.transfer-acknowledged', { leadId: 'L1', transferId: 'T1', agency: 'public-security', acknowledgedOn: '2026-03-09' }),
      f.next('lead.transfer-forwarded', { leadId: 'L1', transferId: 'T1', nextTransferId: 'T2', fromAgency: 'public-security', toAgency: 'court', letterNo: 'c', reason: 'd', forwardedOn: '2026-03-11' }),
    ];
    expect(projectInMemory(reminderDeadlinesProjection, events).map((r) => [r.deadlineId, r.agency, r.startOn, r.clockParam, r.closedOn, r.lastStep, r.streamId])).toEqual([
      ['transfer-acknowledgement:T1', 'public-security', '2026-03-02', 'transferAcknowledgeWorkingDays', '2026-03-09', 'before-1', 'lead-L1'],
      ['transfer-acknowledgement:T2', 'court', '2026-03-11', 'transferAcknowledgeWorkingDays', null, null, 'lead-L1'],
      ['transfer-decision:T1', 'public-security', '2026-03-09', 'transferDecisionWorkingDays', '2026-03-11', null, 'lead-L1'],
    ]);
  });

  it('a disposition: only 谈话函询 / 初步核实 open a conclusion clock, closed by the conclusion or by filing a case', () => {
    const f = new EventFeed();
    const events = [
      reg(f, 'L1'),
      f.next('lead.disposition-decided', { leadId: 'L1', method: 'talk-inquiry', rationale: 'r', agency: 'audit-bureau', decidedOn: '2026-03-02' }),
      reg(f, 'L2'),
      f.next('lead.disposition-decided', { leadId: 'L2', method: 'preliminary-verification', rationale: 'r', agency: 'audit-bureau', decidedOn: '2026-03-03' }),
      f.next('lead.converted-to-case', { leadId: 'L2', caseId: 'C', caseNo: 'AJ', convertedOn: '2026-03-20' }),
      reg(f, 'L3'),
      f.next('lead.disposition-decided', { leadId: 'L3', method: 'hold-pending', rationale: 'r', agency: 'audit-bureau', decidedOn: '2026-03-03' }),
      f.next('lead.disposition-escalated', { leadId: 'L1', method: 'talk-inquiry', step: 'after-1', level: 1, toRole: 'group-leader', daysOverdue: 1, dueOn: '2026-04-13', agency: 'audit-bureau', ref: 'LC-L1', title: 't', escalatedOn: '2026-04-14' }),
    ];
    expect(projectInMemory(reminderDeadlinesProjection, events).map((r) => [r.deadlineId, r.method, r.clockParam, r.closedOn, r.lastStep])).toEqual([
      ['disposition-conclusion:L1', 'talk-inquiry', 'dispositionWorkingDays.talk-inquiry', null, 'after-1'],
      ['disposition-conclusion:L2', 'preliminary-verification', 'dispositionWorkingDays.preliminary-verification', '2026-03-20', null],
    ]);
  });
});
