import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { assertOffice, requireDate, requireDateNotAfterToday, requireOneOf, requireText } from '../shared/guards';
import type { ReportCommand } from './report.commands';
import { REPORT_KINDS, type ReportEvent, type ReportIssued } from './report.events';

export type ReportState = { status: 'none' } | { status: 'issued'; issued: ReportIssued['data'] };

/**
 * 定期报告: issued once, never changed. The snapshot exists so that what the county committee received
 * can be shown again word for word, even after late entries change the live figures for the same period.
 */
export const reportDecider: Decider<ReportCommand, ReportState, ReportEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const { actor, today } = command.ctx;
    switch (command.type) {
      case 'IssuePeriodicReport': {
        assertOffice(actor);
        if (state.status !== 'none') refuse('report-already-issued', '该报告已印发，不能修改；如需更正请另行印发');
        requireText(command.title, 'title', 'title-required', '报告标题');
        const { period } = command.figures;
        requireOneOf(period.kind, REPORT_KINDS, 'kind', '报告类型');
        requireDate(period.from, 'from');
        requireDate(period.to, 'to');
        if (period.from > period.to) refuse('invalid-period', '起始日期不能晚于截止日期', 'invalid', 'from');
        requireDateNotAfterToday(period.asOf, today, 'asOf');
        if (period.asOf < period.from) refuse('as-of-before-period', '统计截至日期不能早于报告期起始日期', 'invalid', 'asOf');
        return [{ type: 'report.issued', data: { reportId: command.reportId, title: command.title.trim(), issuedOn: today, figures: command.figures } }];
      }
      default: {
        const unhandled: never = command.type;
        throw new Error(`unhandled report command ${String(unhandled)}`);
      }
    }
  },

  evolve(_state, event) {
    return { status: 'issued', issued: event.data };
  },
};
