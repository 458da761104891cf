import { projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { followUpClocksProjection } from './follow-up-clocks.projection';

const base = { satisfiedOn: null, satisfiedBy: null, fixedDueOn: null };

describe('follow-up-clocks projection', () => {
  it('given a lead transferred, acknowledged, accepted and disposed, then each obligation with its period', () => {
    const f = new EventFeed();
    const rows = projectInMemory(followUpClocksProjection, [
      f.next('lead.registered', { leadId: 'L1', ledgerNo: 'LC-2026-0001', source: 'petition', reportingAgency: 'audit-bureau', subject: { name: '吴某', post: '局长', unit: '县某局' }, allegation: 'a', receivedOn: '2026-03-02', important: false, hasInformant: false }),
      f.next('lead.transferred', { leadId: 'L1', transferId: 'T1', fromAgency: 'audit-bureau', toAgency: 'court', letterNo: 'l', reason: 'r', transferredOn: '2026-03-05' }),
      f.next('lead.transfer-acknowledged', { leadId: 'L1', transferId: 'T1', agency: 'court', acknowledgedOn: '2026-03-06' }),
      f.next('lead.transfer-accepted', { leadId: 'L1', transferId: 'T1', agency: 'court', acceptedOn: '2026-03-09' }),
      f.next('lead.disposition-decided', { leadId: 'L1', method: 'talk-inquiry', rationale: 'r', agency: 'court', decidedOn: '2026-03-12' }),
    ]);
    const common = { ref: 'LC-2026-0001', title: '吴某（县某局局长）', clock: 'working-days' };
    expect(rows).toEqual([
      { obligationId: 'disposition-conclusion:L1', kind: 'disposition-conclusion', refId: 'L1', agency: 'court', startOn: '2026-03-12', clockParam: 'dispositionWorkingDays.talk-inquiry', ...common, ...base, openedPosition: 5 },
      // the court's holding period, restarted on acceptance and satisfied by its disposition
      { obligationId: 'lead-disposition:L1', kind: 'lead-disposition', refId: 'L1', agency: 'court', startOn: '2026-03-09', clockParam: 'leadDispositionWorkingDays', ...common, ...base, satisfiedOn: '2026-03-12', satisfiedBy: 'disposition-decided', openedPosition: 4 },
      // the audit bureau's period, archived when the lead left it
      { obligationId: 'lead-disposition:L1@v4', kind: 'lead-disposition', refId: 'L1', agency: 'audit-bureau', startOn: '2026-03-02', clockParam: 'leadDispositionWorkingDays', ...common, ...base, satisfiedOn: '2026-03-05', satisfiedBy: 'transferred', openedPosition: 1 },
      { obligationId: 'transfer-acknowledgement:T1', kind: 'transfer-acknowledgement', refId: 'T1', agency: 'court', startOn: '2026-03-05', clockParam: 'transferAcknowledgeWorkingDays', ...common, ...base, satisfiedOn: '2026-03-06', satisfiedBy: 'acknowledged', openedPosition: 2 },
      { obligationId: 'transfer-decision:T1', kind: 'transfer-decision', refId: 'T1', agency: 'court', startOn: '2026-03-06', clockParam: 'transferDecisionWorkingDays', ...common, ...base, satisfiedOn: '2026-03-09', satisfiedBy: 'accepted', openedPosition: 3 },
    ]);
  });

  it('given a forward, then the first transfer is satisfied and a new acknowledgement clock runs for the next agency', () => {
    const f = new EventFeed();
    const rows = projectInMemory(followUpClocksProjection, [
      f.next('lead.registered', { leadId: 'L1', ledgerNo: 'LC-2026-0001', source: 'petition', reportingAgency: 'audit-bureau', subject: { name: '吴某', post: '局长', unit: '县某局' }, allegation: 'a', receivedOn: '2026-03-02', important: false, hasInformant: false }),
      f.next('lead.transferred', { leadId: 'L1', transferId: 'T1', fromAgency: 'audit-bureau', toAgency: 'court', letterNo: 'l', reason: 'r', transferredOn: '2026-03-05' }),
      f.next('lead.transfer-acknowledged', { leadId: 'L1', transferId: 'T1', agency: 'court', acknowledgedOn: '2026-03-06' }),
      f.next('lead.transfer-forwarded', { leadId: 'L1', transferId: 'T1', nextTransferId: 'T2', fromAgency: 'court', toAgency: 'procuratorate', letterNo: 'l', reason: 'r', forwardedOn: '2026-03-07' }),
    ]);
    expect(rows.map((r) => [r.obligationId, r.agency, r.startOn, r.satisfiedOn, r.satisfiedBy])).toEqual([
      ['lead-disposition:L1', 'audit-bureau', '2026-03-02', '2026-03-05', 'transferred'],
      ['transfer-acknowledgement:T1', 'court', '2026-03-05', '2026-03-06', 'acknowledged'],
      ['transfer-acknowledgement:T2', 'procuratorate', '2026-03-07', null, null],
      ['transfer-decision:T1', 'court', '2026-03-06', '2026-03-07', 'forwarded'],
    ]);
  });

  it('given a major case with a progress report and closing, then the clock restarts at the report and stops at closing', () => {
    const f = new EventFeed();
    const rows = projectInMemory(followUpClocksProjection, [
      f.next('case.filed', { caseId: 'C1', caseNo: 'AJ-2026-0001', title: '某案', leadIds: [], leads: [], subjects: [], leadAgency: 'public-security', coAgencies: [], filedOn: '2026-01-05', major: true, difficult: false }),
      f.next('case.progress-reported', { caseId: 'C1', reportId: 'P1', stage: 'investigation', summary: 's', agency: 'public-security', reportedOn: '2026-02-01' }),
      f.next('case.closed', { caseId: 'C1', summary: 's', closedOn: '2026-03-01' }),
    ]);
    const common = { kind: 'case-progress', refId: 'C1', ref: 'AJ-2026-0001', agency: 'public-security', title: '某案', clock: 'calendar-days', clockParam: 'majorCaseProgressDays', fixedDueOn: null };
    expect(rows).toEqual([
      { obligationId: 'case-progress:C1', ...common, startOn: '2026-02-01', satisfiedOn: '2026-03-01', satisfiedBy: 'case-closed', openedPosition: 2 },
      { obligationId: 'case-progress:C1@v2', ...common, startOn: '2026-01-05', satisfiedOn: '2026-02-01', satisfiedBy: 'progress-reported', openedPosition: 1 },
    ]);
  });

  it('given a non-major case, then a zero-length satisfied period; flagged major later, then the clock opens from that day', () => {
    const f = new EventFeed();
    const rows = projectInMemory(followUpClocksProjection, [
      f.next('case.filed', { caseId: 'C1', caseNo: 'AJ-2026-0001', title: '某案', leadIds: [], leads: [], subjects: [], leadAgency: 'court', coAgencies: [], filedOn: '2026-01-05', major: false, difficult: false }),
      f.next('case.flags-changed', { caseId: 'C1', major: true, difficult: false, reason: 'r', changedOn: '2026-02-10' }),
    ]);
    expect(rows.map((r) => [r.obligationId, r.startOn, r.satisfiedOn, r.satisfiedBy])).toEqual([
      ['case-progress:C1', '2026-02-10', null, null],
      ['case-progress:C1@v2', '2026-01-05', '2026-01-05', 'not-major'],
    ]);
  });

  it('given a supervision item extended, reported and sent back, then a fixed due date moved by the extension and a reopened period', () => {
    const f = new EventFeed();
    const rows = projectInMemory(followUpClocksProjection, [
      f.next('supervision.opened', { itemId: 'S1', itemNo: 'DB-2026-0001', title: '督办', origin: 'office', assigneeAgency: 'court', dueOn: '2026-04-30', openedOn: '2026-03-02' }),
      f.next('supervision.extension-approved', { itemId: 'S1', requestId: 'E', previousDueOn: '2026-04-30', newDueOn: '2026-05-31', approvedOn: '2026-04-20' }),
      f.next('supervision.result-reported', { itemId: 'S1', resultId: 'R', summary: 's', agency: 'court', reportedOn: '2026-05-10' }),
      f.next('supervision.result-sent-back', { itemId: 'S1', resultId: 'R', comment: 'c', reviewedOn: '2026-05-12' }),
    ]);
    const common = { kind: 'supervision-item', refId: 'S1', ref: 'DB-2026-0001', agency: 'court', title: '督办', clock: 'fixed-date', clockParam: null, fixedDueOn: '2026-05-31' };
    expect(rows).toEqual([
      { obligationId: 'supervision-item:S1', ...common, startOn: '2026-05-12', satisfiedOn: null, satisfiedBy: null, openedPosition: 4 },
      { obligationId: 'supervision-item:S1@v4', ...common, startOn: '2026-03-02', satisfiedOn: '2026-05-10', satisfiedBy: 'result-reported', openedPosition: 1 },
    ]);
  });
});
