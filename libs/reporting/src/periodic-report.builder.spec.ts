import { WorkingDayCalendar } from '@coord/domain';
import { periodicReportOf, type PeriodicReportOptions } from './periodic-report.builder';
import type { ReportEvent } from './report-event';
import { resolvePeriod } from './report-period';

let position = 0;
const ev = (type: string, streamId: string, data: Record<string, unknown>): ReportEvent => ({ type, data, streamId, position: ++position });

const H1 = resolvePeriod({ preset: '2026-H1' }, '2026-12-31');
const options = (over: Partial<PeriodicReportOptions> = {}): PeriodicReportOptions => ({
  period: H1,
  calendar: new WorkingDayCalendar(),
  clocks: { transferAcknowledgeWorkingDays: 5, transferDecisionWorkingDays: 5 },
  ...over,
});

const lead = (id: string, receivedOn: string, source = 'petition', agency = 'audit-bureau', important = false) =>
  ev('lead.registered', `lead-${id}`, { leadId: id, ledgerNo: `LC-${id}`, source, reportingAgency: agency, receivedOn, important, hasInformant: true });
const transfer = (leadId: string, transferId: string, on: string, toAgency = 'public-security') =>
  ev('lead.transferred', `lead-${leadId}`, { leadId, transferId, fromAgency: 'audit-bureau', toAgency, letterNo: 'x', reason: 'x', transferredOn: on });
const ack = (leadId: string, transferId: string, on: string) => ev('lead.transfer-acknowledged', `lead-${leadId}`, { leadId, transferId, agency: 'public-security', acknowledgedOn: on });
const accept = (leadId: string, transferId: string, on: string) => ev('lead.transfer-accepted', `lead-${leadId}`, { leadId, transferId, agency: 'public-security', acceptedOn: on });
const filed = (caseId: string, on: string, over: Record<string, unknown> = {}) =>
  ev('case.filed', `case-${caseId}`, { caseId, caseNo: `AJ-${caseId}`, leadAgency: 'procuratorate', filedOn: on, major: false, difficult: false, ...over });
const recovered = (caseId: string, recoveryId: string, fen: number, on: string, agency = 'finance-bureau', category = 'confiscation') =>
  ev('case.loss-recovered', `case-${caseId}`, { caseId, recoveryId, amountFen: fen, category, agency, recoveredOn: on });
const corrected = (caseId: string, recoveryId: string, delta: number, originalOn: string, correctedOn: string) =>
  ev('case.loss-recovery-corrected', `case-${caseId}`, {
    caseId,
    recoveryId,
    correctionId: `${recoveryId}-c`,
    deltaFen: delta,
    correctedAmountFen: 0,
    category: 'confiscation',
    agency: 'finance-bureau',
    recoveredOn: originalOn,
    reason: '核对更正',
    correctedOn,
  });

describe('periodic report (定期报告) from events by business date', () => {
  it('given leads received inside and outside H1, when reported, then only H1 leads count, by source and agency', () => {
    const f = periodicReportOf(
      [lead('a', '2026-01-05', 'petition', 'audit-bureau', true), lead('b', '2026-06-30', 'audit-finding', 'audit-bureau'), lead('c', '2026-07-01'), lead('d', '2025-12-31')],
      options(),
    );
    expect(f.leads).toEqual({
      total: 2,
      important: 1,
      bySource: [
        { key: 'audit-finding', label: '审计发现', count: 1 },
        { key: 'petition', label: '信访举报', count: 1 },
      ],
      byAgency: [{ key: 'audit-bureau', label: '县审计局', count: 2 }],
    });
  });

  it('given a lead entered late but received on 30 June, when reported as of 30 June, then it counts; a lead received 1 July does not', () => {
    // log order = entry order: the 1 July lead was entered first, the 30 June one weeks later
    const f = periodicReportOf([lead('late', '2026-07-01'), lead('june', '2026-06-30')], options({ period: { ...H1, asOf: '2026-06-30' } }));
    expect(f.leads.total).toBe(1);
    expect(f.period).toEqual({ kind: 'half-year', from: '2026-01-01', to: '2026-06-30', asOf: '2026-06-30' });
  });

  it('given transfers on the working-day calendar, when reported, then acknowledgement and decision timeliness follow the 5-working-day clocks and declared holidays', () => {
    // Friday 2026-05-01 is declared a holiday: a transfer on Thu 30 April is due for 签收 on Fri 8 May, not Thu 7 May
    const calendar = new WorkingDayCalendar({ holidays: ['2026-05-01'] });
    const f = periodicReportOf(
      [
        lead('l1', '2026-04-01'),
        transfer('l1', 't-ontime', '2026-04-30'),
        ack('l1', 't-ontime', '2026-05-08'), // 5th working day after the holiday: in time
        accept('l1', 't-ontime', '2026-05-15'), // 5 working days after the acknowledgement: in time
        lead('l2', '2026-04-01'),
        transfer('l2', 't-late', '2026-03-02'), // Monday; due Monday 9 March
        ack('l2', 't-late', '2026-03-10'),
        accept('l2', 't-late', '2026-03-20'), // due 17 March: late
        lead('l3', '2026-04-01'),
        transfer('l3', 't-open', '2026-06-01'), // never acknowledged: overdue by 30 June
        lead('l4', '2026-04-01'),
        transfer('l4', 't-waiting', '2026-06-29'), // not yet due at 30 June
        transfer('l1', 't-h2', '2026-07-02'), // outside the period
      ],
      options({ calendar, period: { ...H1, asOf: '2026-06-30' } }),
    );
    expect(f.transfers).toMatchObject({
      total: 4,
      acknowledgedInTime: 1,
      acknowledgedLate: 1,
      acknowledgementOverdue: 1,
      awaitingAcknowledgement: 1,
      decidedInTime: 1,
      decidedLate: 1,
      awaitingDecision: 0,
      decisionOverdue: 0,
      clocks: { acknowledgeWorkingDays: 5, decisionWorkingDays: 5 },
    });
    expect(f.transfers.byOutcome).toEqual([
      { key: 'accepted', label: '接收', count: 2 },
      { key: 'pending', label: '待处理', count: 2 },
    ]);
  });

  it('given an acknowledgement dated after asOf, when reported as of the period end, then the transfer is still awaiting (or overdue) at that date', () => {
    const f = periodicReportOf([transfer('l1', 't', '2026-06-22'), ack('l1', 't', '2026-07-03')], options({ period: { ...H1, asOf: '2026-06-30' } }));
    expect(f.transfers).toMatchObject({ total: 1, acknowledgedInTime: 0, acknowledgedLate: 0, acknowledgementOverdue: 1 });
  });

  it('given dispositions, cases, sanctions and judicial transfers, when reported, then each is counted in the period by its own date', () => {
    const f = periodicReportOf(
      [
        ev('lead.disposition-decided', 'lead-1', { leadId: '1', method: 'talk-inquiry', rationale: 'x', agency: 'court', decidedOn: '2026-02-01' }),
        ev('lead.disposition-decided', 'lead-2', { leadId: '2', method: 'preliminary-verification', rationale: 'x', agency: 'court', decidedOn: '2026-03-01' }),
        ev('lead.disposition-decided', 'lead-3', { leadId: '3', method: 'talk-inquiry', rationale: 'x', agency: 'court', decidedOn: '2025-03-01' }),
        ev('lead.disposition-concluded', 'lead-1', { leadId: '1', method: 'talk-inquiry', conclusion: 'x', concludedOn: '2026-03-01' }),
        filed('old', '2013-05-01'),
        filed('c1', '2026-02-01', { major: true }),
        filed('c2', '2026-05-01', { difficult: true, leadAgency: 'public-security' }),
        ev('case.closed', 'case-old', { caseId: 'old', summary: 'x', closedOn: '2026-03-01' }),
        ev('case.sanction-imposed', 'case-c1', { caseId: 'c1', sanctionId: 's1', personName: '王某', kind: 'party-discipline', level: 'serious-warning', decidedOn: '2026-04-01', agency: 'discipline-commission' }),
        ev('case.sanction-imposed', 'case-c1', { caseId: 'c1', sanctionId: 's2', personName: '王某', kind: 'admonishment', measure: '诫勉', decidedOn: '2026-04-02', agency: 'discipline-commission' }),
        ev('case.transferred-to-judiciary', 'case-c2', { caseId: 'c2', toAgency: 'procuratorate', summary: 'x', transferredOn: '2026-06-01' }),
      ],
      options(),
    );
    expect(f.dispositions).toEqual({
      total: 2,
      concluded: 1,
      byMethod: [
        { key: 'preliminary-verification', label: '初步核实', count: 1 },
        { key: 'talk-inquiry', label: '谈话函询', count: 1 },
      ],
    });
    expect(f.cases).toEqual({
      filed: 2,
      closed: 1,
      major: 1,
      difficult: 1,
      openAsOf: 2,
      filedByAgency: [
        { key: 'procuratorate', label: '县人民检察院', count: 1 },
        { key: 'public-security', label: '县公安局', count: 1 },
      ],
    });
    expect(f.sanctions).toEqual({
      total: 2,
      byKind: [
        { key: 'admonishment', label: '诫勉谈话', count: 1 },
        { key: 'party-discipline', label: '党纪处分', count: 1 },
      ],
      byLevel: [
        { key: 'admonishment/-', label: '诫勉谈话', count: 1 },
        { key: 'party-discipline/serious-warning', label: '党纪处分·严重警告', count: 1 },
      ],
    });
    expect(f.judicialTransfers).toEqual({ total: 1, byAgency: [{ key: 'procuratorate', label: '县人民检察院', count: 1 }] });
    expect(f.cumulative).toEqual({ since: '2013-05-01', casesFiled: 3, recoveredFen: 0 });
  });

  it('given recoveries and corrections, when reported, then amounts are exact to the fen and a correction is booked in its original recovery period once it is made', () => {
    const events = [
      filed('c1', '2025-11-01'),
      recovered('c1', 'r-2025', 100_00, '2025-12-20'),
      recovered('c1', 'r1', 1_234_567_89, '2026-03-01'),
      recovered('c1', 'r2', 1, '2026-06-30', 'court', 'fine'),
      recovered('c1', 'r3', 500_00, '2026-07-01'),
      corrected('c1', 'r1', -34_567_89, '2026-03-01', '2026-08-15'), // made in August, booked in March
      corrected('c1', 'r-2025', -100_00, '2025-12-20', '2026-02-01'), // a correction of a 2025 recovery stays in 2025
    ];
    const asOfEnd = periodicReportOf(events, options({ period: { ...H1, asOf: '2026-06-30' } }));
    expect(asOfEnd.recoveries).toEqual({
      totalFen: 1_234_567_90,
      entryCount: 2,
      caseCount: 1,
      byAgency: [
        { key: 'court', label: '县人民法院', totalFen: 1, caseCount: 1 },
        { key: 'finance-bureau', label: '县财政局', totalFen: 1_234_567_89, caseCount: 1 },
      ],
      byCategory: [
        { key: 'confiscation', label: '追缴', totalFen: 1_234_567_89, caseCount: 1 },
        { key: 'fine', label: '罚没', totalFen: 1, caseCount: 1 },
      ],
    });
    const later = periodicReportOf(events, options({ period: { ...H1, asOf: '2026-09-01' } }));
    expect(later.recoveries.totalFen).toBe(1_200_000_01);
    expect(later.cumulative).toEqual({ since: '2025-11-01', casesFiled: 1, recoveredFen: 1_200_000_01 + 500_00 });
  });

  it('given supervision items, when reported, then completed, completed late, overdue and open follow the due date in force at asOf', () => {
    const opened = (id: string, openedOn: string, dueOn: string) =>
      ev('supervision.opened', `supervision-${id}`, { itemId: id, itemNo: id, title: id, origin: 'office', assigneeAgency: 'court', dueOn, openedOn });
    const closed = (id: string, on: string) => ev('supervision.closed', `supervision-${id}`, { itemId: id, closedOn: on });
    const f = periodicReportOf(
      [
        opened('done', '2026-01-10', '2026-03-01'),
        closed('done', '2026-02-20'),
        opened('late', '2026-01-10', '2026-03-01'),
        closed('late', '2026-03-05'),
        opened('overdue', '2025-12-01', '2026-05-01'),
        opened('extended', '2026-02-01', '2026-05-01'),
        ev('supervision.extension-approved', 'supervision-extended', { itemId: 'extended', requestId: 'r', previousDueOn: '2026-05-01', newDueOn: '2026-08-01', approvedOn: '2026-04-20' }),
        opened('old', '2025-01-01', '2025-02-01'),
        closed('old', '2025-01-20'),
        closed('overdue', '2026-07-10'), // after asOf: still overdue at 30 June
      ],
      options({ period: { ...H1, asOf: '2026-06-30' } }),
    );
    expect(f.supervision).toEqual({ opened: 3, completed: 2, completedLate: 1, overdue: 1, openAsOf: 2 });
  });

  it('given meetings held, when reported, then meetings by kind and their decisions are counted; none gives zeros', () => {
    const f = periodicReportOf(
      [
        ev('meeting.convened', 'meeting-m1', { meetingId: 'm1', kind: 'regular', heldOn: '2026-06-10', attendees: [], expectedMembers: [] }),
        ev('meeting.decision-taken', 'meeting-m1', { meetingId: 'm1', decisionId: 'd1', passed: true }),
        ev('meeting.decision-taken', 'meeting-m1', { meetingId: 'm1', decisionId: 'd2', passed: false }),
        ev('meeting.convened', 'meeting-m2', { meetingId: 'm2', kind: 'special', heldOn: '2026-03-01', attendees: [], expectedMembers: [] }),
        ev('meeting.convened', 'meeting-m3', { meetingId: 'm3', kind: 'regular', heldOn: '2025-12-01', attendees: [], expectedMembers: [] }),
        ev('meeting.decision-taken', 'meeting-m3', { meetingId: 'm3', decisionId: 'd3', passed: true }),
      ],
      options(),
    );
    expect(f.meetings).toEqual({ held: 2, regular: 1, special: 1, decisions: 2, decisionsPassed: 1 });
    expect(periodicReportOf([], options()).meetings).toEqual({ held: 0, regular: 0, special: 0, decisions: 0, decisionsPassed: 0 });
  });

  it('given a confidential part on a stored event, when reported, then it cannot reach the figures (the builder is never given it)', () => {
    const f = periodicReportOf([lead('a', '2026-01-05')], options());
    expect(JSON.stringify(f)).not.toMatch(/informant|举报人/);
  });
});

describe('report periods', () => {
  it('resolves presets, defaults asOf to the end (or today) and refuses bad input naming the field', () => {
    expect(resolvePeriod({ preset: '2026-H2' }, '2027-01-10')).toEqual({ kind: 'half-year', from: '2026-07-01', to: '2026-12-31', asOf: '2026-12-31' });
    expect(resolvePeriod({ preset: '2026' }, '2026-08-10')).toEqual({ kind: 'annual', from: '2026-01-01', to: '2026-12-31', asOf: '2026-08-10' });
    expect(resolvePeriod({ from: '2012-01-01', to: '2026-06-30', asOf: '2026-06-30' }, '2026-08-10')).toEqual({ kind: 'custom', from: '2012-01-01', to: '2026-06-30', asOf: '2026-06-30' });
    const fieldOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as { field?: string }).field;
      }
      return undefined;
    };
    expect(fieldOf(() => resolvePeriod({ preset: '2026-Q1' }, '2026-08-10'))).toBe('preset');
    expect(fieldOf(() => resolvePeriod({ from: '2026-02-01', to: '2026-01-01' }, '2026-08-10'))).toBe('from');
    expect(fieldOf(() => resolvePeriod({ preset: '2026', asOf: '2026-09-01' }, '2026-08-10'))).toBe('asOf');
    expect(fieldOf(() => resolvePeriod({ preset: '2026', asOf: '2025-09-01' }, '2026-08-10'))).toBe('asOf');
  });
});
