import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { ctx, office } from '../testing/fixtures';
import { reportDecider } from './report.decider';
import type { ReportCommand } from './report.commands';
import type { PeriodicReportFigures, ReportKind } from './report.events';

/** Refusals of the report decider that report.decider.spec.ts does not pin down to code, kind AND field. */
const BLANKS = ['', '  \t\u3000'];
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };
type Period = PeriodicReportFigures['period'];
// the decider checks only the period before refusing; the rest of the figures never matter to a refusal
const issue = (period: Partial<Period> = {}, title = '县反腐败协调小组2026年上半年工作报告', actor: Actor = office): ReportCommand => ({
  type: 'IssuePeriodicReport',
  reportId: 'r1',
  title,
  figures: { period: { kind: 'half-year', from: '2026-01-01', to: '2026-06-30', asOf: '2026-03-16', ...period } } as PeriodicReportFigures,
  ctx: ctx(actor),
});

describe('reportDecider refusals (code, kind and field)', () => {
  it('an agency user bound to no agency issues nothing', () => {
    given(reportDecider).when(issue({}, undefined, agencyWithoutAgency)).thenRefuses('agency-missing', 'forbidden');
  });

  it('a report kind outside the list is refused on kind', () => {
    given(reportDecider)
      .when(issue({ kind: 'quarterly' as ReportKind }))
      .thenRefuses('kind-invalid', 'invalid', 'kind');
  });

  it('each period date that is not a date is refused on its own field', () => {
    given(reportDecider).when(issue({ from: '2026-1-1' })).thenRefuses('date-invalid', 'invalid', 'from');
    given(reportDecider).when(issue({ to: '2026-6-30' })).thenRefuses('date-invalid', 'invalid', 'to');
    given(reportDecider).when(issue({ asOf: 'today' })).thenRefuses('date-invalid', 'invalid', 'asOf');
  });

  it.each(BLANKS)('the title %j is refused on title', (blank) => {
    given(reportDecider).when(issue({}, blank)).thenRefuses('title-required', 'invalid', 'title');
  });
});
