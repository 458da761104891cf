import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { halfYearOf, isLocalDate, regularMeetingName, streams } from '@coord/domain';
import { supervisionItemIdForAction } from '@coord/platform';
import { MeetingQuery, type MeetingRegisterEntity } from '@coord/read-models';
import { Policy } from '../auth/auth.decorators';
import { HistoryService } from '../history/history.service';
import { CommandMeta, derivedId, nameBasedUuid, type HttpCommandMeta } from '../http/command-context';
import { commandResponse, eventData } from '../http/command-response';
import { MeetingBusCommand, type MeetingStep } from './meeting.bus-commands';
import { BriefLeadDto, ConveneMeetingDto, ListMeetingsQueryDto, MinutesDto, ProposeDecisionDto, ScheduleMeetingDto, StatementDto, SubmitTopicDto } from './meeting.dto';

const uuid = new ParseUUIDPipe();

/** A passed decision's action items name the supervision items the process manager opens for them. */
function withSupervisionItems(row: MeetingRegisterEntity) {
  return {
    ...row,
    decisions: row.decisions.map((d) => ({
      ...d,
      actionItems: d.actionItems.map((a) => ({ ...a, supervisionItemId: d.passed ? supervisionItemIdForAction(row.meetingId, d.decisionId, a.actionId) : null })),
    })),
  };
}

@ApiTags('meetings 联席会议')
@ApiBearerAuth()
@Controller('api/meetings')
export class MeetingsController {
  constructor(
    private readonly bus: CommandBus,
    private readonly meetings: MeetingQuery,
    private readonly history: HistoryService,
  ) {}

  private async step(id: string, command: MeetingStep, meta: HttpCommandMeta, reply: FastifyReply, extra: object = {}) {
    const result = await this.bus.execute(new MeetingBusCommand(id, command, meta));
    return commandResponse(reply, result, { id, ...extra });
  }

  @Post()
  @HttpCode(201)
  @Policy('meeting.manage')
  @ApiOperation({ summary: '安排联席会议（例会每半年一次，专题会议根据需要）' })
  schedule(@Body() b: ScheduleMeetingDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    // a regular meeting (例会) takes the id of its half-year, so a second one in the same half-year meets the
    // first on one stream and is refused there (regular-meeting-exists); special meetings get their own ids
    const id = b.kind === 'regular' && isLocalDate(b.scheduledOn) ? nameBasedUuid(regularMeetingName(halfYearOf(b.scheduledOn))) : derivedId(meta, 'meeting');
    return this.step(id, { type: 'ScheduleMeeting', meetingId: id, kind: b.kind, title: b.title, scheduledOn: b.scheduledOn, topicCutoffOn: b.topicCutoffOn }, meta, reply);
  }

  @Get()
  @Policy('meeting.read')
  @ApiOperation({ summary: '联席会议登记簿（临时动议标注 late）' })
  async list(@Query() q: ListMeetingsQueryDto) {
    const page = await this.meetings.list({ kind: q.kind, status: q.status, halfYear: q.halfYear, lateTopics: q.lateTopics, limit: q.limit ?? 50, offset: q.offset ?? 0 });
    return { ...page, items: page.items.map(withSupervisionItems) };
  }

  @Get(':id')
  @Policy('meeting.read')
  async get(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const row = await this.meetings.get(id);
    if (!row) throw new NotFoundException();
    void reply.header('etag', `"${await this.history.version(streams.meeting(id))}"`);
    return withSupervisionItems(row);
  }

  @Get(':id/history')
  @Policy('meeting.read')
  async historyOf(@Param('id', uuid) id: string) {
    if ((await this.history.version(streams.meeting(id))) === 0) throw new NotFoundException();
    return this.history.of(streams.meeting(id));
  }

  @Post(':id/topics')
  @HttpCode(201)
  @Policy('meeting.participate')
  @ApiOperation({ summary: '提交议题（截止后为临时动议，须说明理由）' })
  async topic(@Param('id', uuid) id: string, @Body() b: SubmitTopicDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const topicId = derivedId(meta, 'topic');
    const result = await this.bus.execute(
      new MeetingBusCommand(id, { type: 'SubmitMeetingTopic', topicId, agency: b.agency, title: b.title, summary: b.summary, justification: b.justification }, meta),
    );
    const data = eventData<{ topicId: string; late: boolean }>(result, 'meeting.topic-submitted');
    return commandResponse(reply, result, { id, topicId: data.topicId, late: data.late });
  }

  @Post(':id/convene')
  @HttpCode(200)
  @Policy('meeting.manage')
  @ApiOperation({ summary: '召开会议并登记出席（以会议当日成员为准）' })
  convene(@Param('id', uuid) id: string, @Body() b: ConveneMeetingDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.step(id, { type: 'ConveneMeeting', heldOn: b.heldOn, attendees: b.attendees }, meta, reply);
  }

  @Post(':id/briefings')
  @HttpCode(201)
  @Policy('meeting.participate')
  @ApiOperation({ summary: '会上通报线索（关联已登记的线索）' })
  brief(@Param('id', uuid) id: string, @Body() b: BriefLeadDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.step(id, { type: 'BriefLeadAtMeeting', leadId: b.leadId, agency: b.agency }, meta, reply, { leadId: b.leadId });
  }

  @Post(':id/decisions')
  @HttpCode(201)
  @Policy('meeting.manage')
  @ApiOperation({ summary: '提出决定事项及其任务' })
  async propose(@Param('id', uuid) id: string, @Body() b: ProposeDecisionDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const decisionId = derivedId(meta, 'decision');
    const actionItems = b.actionItems.map((a, i) => ({ actionId: derivedId(meta, `action-${i}`), title: a.title, assigneeAgency: a.assigneeAgency, dueOn: a.dueOn }));
    const result = await this.bus.execute(new MeetingBusCommand(id, { type: 'ProposeMeetingDecision', decisionId, title: b.title, topicId: b.topicId, actionItems }, meta));
    const data = eventData<{ decisionId: string; actionItems: { actionId: string }[] }>(result, 'meeting.decision-proposed');
    return commandResponse(reply, result, { id, decisionId: data.decisionId, actionIds: data.actionItems.map((a) => a.actionId) });
  }

  @Post(':id/decisions/:decisionId/statements')
  @HttpCode(201)
  @Policy('meeting.participate')
  @ApiOperation({ summary: '记录表态（同意/不同意/缓议及理由；主要领导最后表态）' })
  statement(
    @Param('id', uuid) id: string,
    @Param('decisionId', uuid) decisionId: string,
    @Body() b: StatementDto,
    @CommandMeta() meta: HttpCommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.step(id, { type: 'RecordMeetingStatement', decisionId, agency: b.agency, position: b.position, reason: b.reason }, meta, reply, { decisionId });
  }

  @Post(':id/decisions/:decisionId/take')
  @HttpCode(200)
  @Policy('meeting.manage')
  @ApiOperation({ summary: '作出决定（须三分之二成员出席；应到会成员过半数同意为通过）' })
  async take(@Param('id', uuid) id: string, @Param('decisionId', uuid) decisionId: string, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new MeetingBusCommand(id, { type: 'TakeMeetingDecision', decisionId }, meta));
    const data = eventData<{ passed: boolean; counts: object; actionItems: { actionId: string }[] }>(result, 'meeting.decision-taken');
    const supervisionItemIds = data.actionItems.map((a) => supervisionItemIdForAction(id, decisionId, a.actionId));
    return commandResponse(reply, result, { id, decisionId, passed: data.passed, counts: data.counts, supervisionItemIds });
  }

  @Post(':id/minutes')
  @HttpCode(201)
  @Policy('meeting.manage')
  @ApiOperation({ summary: '记录会议纪要' })
  minutes(@Param('id', uuid) id: string, @Body() b: MinutesDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.step(id, { type: 'RecordMeetingMinutes', minutes: b.minutes }, meta, reply);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Policy('meeting.manage')
  @ApiOperation({ summary: '结束会议' })
  close(@Param('id', uuid) id: string, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.step(id, { type: 'CloseMeeting' }, meta, reply);
  }
}
