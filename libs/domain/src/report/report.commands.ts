import type { WithContext } from '../shared/decider';
import type { PeriodicReportFigures } from './report.events';

/** The figures are computed by the caller (libs/reporting over the log) and frozen by this command. */
export type IssuePeriodicReport = WithContext<{ type: 'IssuePeriodicReport'; reportId: string; title: string; figures: PeriodicReportFigures }>;
export type ReportCommand = IssuePeriodicReport;
