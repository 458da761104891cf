import { given } from '../testing/given-when-then';
import { ctx, leadership, office, audit, TODAY } from '../testing/fixtures';
import { reportDecider } from './report.decider';
import type { PeriodicReportFigures, ReportIssued } from './report.events';

const figures = (over: Partial<PeriodicReportFigures['period']> = {}): PeriodicReportFigures => ({
  period: { kind: 'half-year', from: '2026-01-01', to: '2026-06-30', asOf: '2026-03-16', ...over },
  leads: { total: 3, important: 1, bySource: [], byAgency: [] },
  transfers: {
    total: 0,
    acknowledgedInTime: 0,
    acknowledgedLate: 0,
    awaitingAcknowledgement: 0,
    acknowledgementOverdue: 0,
    decidedInTime: 0,
    decidedLate: 0,
    awaitingDecision: 0,
    decisionOverdue: 0,
    byOutcome: [],
    byReceivingAgency: [],
    clocks: { acknowledgeWorkingDays: 5, decisionWorkingDays: 5 },
  },
  dispositions: { total: 0, concluded: 0, byMethod: [] },
  cases: { filed: 0, closed: 0, major: 0, difficult: 0, openAsOf: 0, filedByAgency: [] },
  sanctions: { total: 0, byKind: [], byLevel: [] },
  judicialTransfers: { total: 0, byAgency: [] },
  recoveries: { totalFen: 1, entryCount: 1, caseCount: 1, byAgency: [], byCategory: [] },
  supervision: { opened: 0, completed: 0, completedLate: 0, overdue: 0, openAsOf: 0 },
  meetings: { held: 0, regular: 0, special: 0, decisions: 0, decisionsPassed: 0 },
  cumulative: { since: null, casesFiled: 0, recoveredFen: 1 },
});

const issue = (over: Partial<PeriodicReportFigures['period']> = {}, actor = office, title = ' 县反腐败协调小组2026年上半年工作报告 ') => ({
  type: 'IssuePeriodicReport' as const,
  reportId: 'r1',
  title,
  figures: figures(over),
  ctx: ctx(actor),
});

const issued: ReportIssued = { type: 'report.issued', data: { reportId: 'r1', title: '县反腐败协调小组2026年上半年工作报告', issuedOn: TODAY, figures: figures() } };

describe('periodic report decider (定期报告印发)', () => {
  it('given nothing, when the office issues a report, then the snapshot carries the figures as given, the trimmed title and the issue date', () => {
    given(reportDecider).when(issue()).then([issued]);
  });

  it('given an issued report, when it is issued again, then it is refused: an issued report never changes', () => {
    given(reportDecider, issued).when(issue()).thenRefuses('report-already-issued', 'conflict');
  });

  it('refuses readers and agencies, an empty title, an inverted period and an as-of date after today or before the period', () => {
    given(reportDecider).when(issue({}, leadership)).thenRefuses('read-only-role', 'forbidden');
    given(reportDecider).when(issue({}, audit)).thenRefuses('office-only', 'forbidden');
    given(reportDecider).when(issue({}, office, '  ')).thenRefuses('title-required', 'invalid', 'title');
    given(reportDecider).when(issue({ from: '2026-07-01', asOf: '2026-07-01' })).thenRefuses('invalid-period', 'invalid', 'from');
    given(reportDecider).when(issue({ asOf: '2026-03-17' })).thenRefuses('date-in-future', 'invalid', 'asOf');
    given(reportDecider).when(issue({ asOf: '2025-12-31' })).thenRefuses('as-of-before-period', 'invalid', 'asOf');
  });
});
