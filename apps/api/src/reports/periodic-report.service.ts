import { Inject, Injectable } from '@nestjs/common';
import { reportDecider, shanghaiDateOf, streams, type PeriodicReportFigures, type ReportIssued } from '@coord/domain';
import { CommandHandler, EVENT_STORE, type CommandResult, type EventStore } from '@coord/event-store';
import { APP_CONFIG, type AppConfig } from '@coord/platform';
import { defaultReportTitle, PeriodicReportBuilder, resolvePeriod, type ReportPeriod } from '@coord/reporting';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { CalendarService } from '../calendar/calendar.service';
import { derivedId, type HttpCommandMeta } from '../http/command-context';
import { foldLog } from './event-log-reader';

export interface PeriodQuery {
  preset?: string;
  from?: string;
  to?: string;
  asOf?: string;
}

export interface IssuedReport {
  id: string;
  title: string;
  issuedOn: string;
  issuedBy: { username: string; role: string };
  figures: PeriodicReportFigures;
  version: number;
}

/** The types a periodic report reads; everything else in the log is skipped without being mapped. */
const REPORT_TYPES = new Set([
  'lead.registered',
  'lead.transferred',
  'lead.transfer-acknowledged',
  'lead.transfer-accepted',
  'lead.transfer-returned',
  'lead.transfer-forwarded',
  'lead.disposition-decided',
  'lead.disposition-concluded',
  'case.filed',
  'case.closed',
  'case.sanction-imposed',
  'case.transferred-to-judiciary',
  'case.loss-recovered',
  'case.loss-recovery-corrected',
  'supervision.opened',
  'supervision.extension-approved',
  'supervision.closed',
  'meeting.convened',
  'meeting.decision-taken',
]);

/**
 * 定期报告: computed on demand from the whole log by business date (libs/reporting), and issued as an
 * immutable `report.issued` snapshot. Cost of a live report: one pass over the log (O(events) reads,
 * memory bounded by the period's items); acceptable for a county's volume (tens of thousands of events),
 * and an issued report is read back from its own one-event stream.
 */
@Injectable()
export class PeriodicReportService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly handler: CommandHandler,
    private readonly agencies: AgencyDirectory,
    private readonly calendar: CalendarService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  period(q: PeriodQuery, today = shanghaiDateOf(new Date())): ReportPeriod {
    return resolvePeriod(q, today);
  }

  async compute(period: ReportPeriod): Promise<PeriodicReportFigures> {
    const builder = new PeriodicReportBuilder({
      period,
      calendar: await this.calendar.workingDays(),
      clocks: this.config.clocks,
      agencyNames: await this.agencies.names(),
    });
    await foldLog(this.store, (e) => builder.add(e), { types: REPORT_TYPES });
    return builder.figures();
  }

  async issue(q: PeriodQuery & { title?: string }, meta: HttpCommandMeta): Promise<CommandResult & { reportId: string }> {
    const period = this.period(q, meta.ctx.today);
    const figures = await this.compute(period);
    const reportId = derivedId(meta, 'report');
    const title = q.title?.trim() || defaultReportTitle(period);
    const result = await this.handler.handle(reportDecider, streams.report(reportId), { type: 'IssuePeriodicReport', reportId, title, figures, ctx: meta.ctx }, meta);
    // on an idempotent repeat the report id comes from the stored event
    const issued = result.events.find((e) => e.type === 'report.issued');
    return { ...result, reportId: (issued?.data as ReportIssued['data'] | undefined)?.reportId ?? reportId };
  }

  async get(id: string): Promise<IssuedReport | null> {
    const events = await this.store.readStream(streams.report(id));
    const issued = events.find((e) => e.type === 'report.issued');
    if (!issued) return null;
    const d = issued.data as ReportIssued['data'];
    const { username, role } = issued.metadata.actor;
    return { id: d.reportId, title: d.title, issuedOn: d.issuedOn, issuedBy: { username, role }, figures: d.figures, version: issued.streamVersion };
  }
}
