import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError, shanghaiDateOf, type Actor } from '@coord/domain';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { OverdueFollowUpQuery, RecoveredLossQuery } from '@coord/read-models';
import { APP_CONFIG, type AppConfig } from '@coord/platform';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { CurrentActor, Policy } from '../auth/auth.decorators';
import { CalendarService } from '../calendar/calendar.service';
import { TimeTravelService } from '../ledger-io/time-travel.service';
import { regularMeetingsOwedSince } from './regular-meetings-owed-since';
import { OverdueQueryDto, RecoveredLossesQueryDto } from './reports.dto';

@ApiTags('reports 统计')
@ApiBearerAuth()
@Controller('api')
export class ReportsController {
  constructor(
    private readonly losses: RecoveredLossQuery,
    private readonly overdue: OverdueFollowUpQuery,
    private readonly agencies: AgencyDirectory,
    private readonly calendar: CalendarService,
    private readonly timeTravel: TimeTravelService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get('reports/recovered-losses')
  // Group-wide totals name cases across agencies, so member-agency users do not get them.
  @Policy('report.recovered-losses')
  @ApiOperation({ summary: '挽回经济损失统计（按单位、年度、季度、类别、案件）' })
  async recoveredLosses(@Query() q: RecoveredLossesQueryDto) {
    if (q.from && q.to && q.from > q.to) throw new DomainError('invalid-period', '起始日期不能晚于截止日期', 'invalid', 'from');
    // asOf: answered from the events by business date (time travel), not from today's rows
    if (q.asOf) return this.timeTravel.recoveredLosses(q.asOf, { groupBy: q.groupBy ?? 'agency', from: q.from, to: q.to });
    return this.losses.totals({ groupBy: q.groupBy ?? 'agency', from: q.from, to: q.to, agencyNames: await this.agencies.names() });
  }

  @Get('follow-ups/overdue')
  @Policy('report.overdue')
  @ApiOperation({ summary: '逾期事项（督办、移送签收与处理、线索处置、处置办结、重大案件案情报告）' })
  async overdueFollowUps(@Query() q: OverdueQueryDto, @CurrentActor() actor: Actor) {
    // a member agency sees only its own overdue items
    const agency = actor.role === 'agency' ? actor.agency : q.agency;
    // half-years owe a regular joint meeting from the later of establishment and first use (see the helper)
    const meetingsSince = await regularMeetingsOwedSince(this.store, this.config.groupEstablishedOn);
    return this.overdue.list({
      asOf: q.asOf ?? shanghaiDateOf(new Date()),
      agency,
      calendar: await this.calendar.workingDays(),
      clocks: this.config.clocks,
      meetingsSince,
      limit: q.limit,
      offset: q.offset,
    });
  }
}
