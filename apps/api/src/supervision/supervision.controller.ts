import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { streams, type Actor } from '@coord/domain';
import { SupervisionQuery } from '@coord/read-models';
import { CurrentActor, Policy } from '../auth/auth.decorators';
import { HistoryService } from '../history/history.service';
import { ConsistentRead } from '../http/consistent-read.service';
import { CommandMeta, derivedId, type HttpCommandMeta } from '../http/command-context';
import { commandResponse, eventData } from '../http/command-response';
import { scopeOf } from '../http/scope';
import { OpenSupervisionItemBusCommand, SupervisionStepBusCommand } from './supervision.bus-commands';
import {
  ExtensionApprovalDto,
  ExtensionRefusalDto,
  ExtensionRequestDto,
  ListSupervisionQueryDto,
  OpenSupervisionItemDto,
  ProgressNoteDto,
  ResultDto,
  ReviewDto,
} from './supervision.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('supervision 督办')
@ApiBearerAuth()
@Controller('api/supervision-items')
export class SupervisionController {
  constructor(
    private readonly bus: CommandBus,
    private readonly items: SupervisionQuery,
    private readonly history: HistoryService,
    private readonly consistent: ConsistentRead,
  ) {}

  @Post()
  @HttpCode(201)
  @Policy('supervision.open')
  @ApiOperation({ summary: '督办立项并交办' })
  async open(@Body() body: OpenSupervisionItemDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new OpenSupervisionItemBusCommand(body, meta));
    const data = eventData<{ itemId: string; itemNo: string }>(result, 'supervision.opened');
    return commandResponse(reply, result, { id: data.itemId, itemNo: data.itemNo });
  }

  @Get()
  @Policy('supervision.list')
  list(@Query() q: ListSupervisionQueryDto, @CurrentActor() actor: Actor) {
    return this.items.list({ status: q.status, agency: q.agency, limit: q.limit ?? 50, offset: q.offset ?? 0, scopeAgency: scopeOf(actor) });
  }

  @Get(':id')
  @Policy('supervision.read')
  async get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const version = await this.consistent.settle(streams.supervision(id));
    const row = await this.items.get(id, { scopeAgency: scopeOf(actor) });
    if (!row) throw new NotFoundException();
    void reply.header('etag', `"${version}"`);
    return row;
  }

  @Get(':id/history')
  @Policy('supervision.read')
  async historyOf(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    if (!(await this.items.get(id, { scopeAgency: scopeOf(actor) }))) throw new NotFoundException();
    return this.history.of(streams.supervision(id));
  }

  private async step(id: string, command: SupervisionStepBusCommand['command'], meta: HttpCommandMeta, reply: FastifyReply, extra: object = {}) {
    const result = await this.bus.execute(new SupervisionStepBusCommand(id, command, meta));
    return commandResponse(reply, result, { id, ...extra });
  }

  @Post(':id/progress')
  @HttpCode(201)
  @Policy('supervision.handle')
  @ApiOperation({ summary: '督办过程记录' })
  progress(@Param('id', uuid) id: string, @Body() b: ProgressNoteDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const noteId = derivedId(meta, 'note');
    return this.step(id, { type: 'NoteSupervisionProgress', noteId, note: b.note }, meta, reply, { noteId });
  }

  @Post(':id/extension-requests')
  @HttpCode(201)
  @Policy('supervision.handle')
  @ApiOperation({ summary: '申请延期（须在期限届满前）' })
  async requestExtension(@Param('id', uuid) id: string, @Body() b: ExtensionRequestDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new SupervisionStepBusCommand(id, { type: 'RequestExtension', requestId: derivedId(meta, 'extension'), newDueOn: b.newDueOn, reason: b.reason }, meta));
    const data = eventData<{ requestId: string }>(result, 'supervision.extension-requested');
    return commandResponse(reply, result, { id, requestId: data.requestId });
  }

  @Post(':id/extension-requests/:requestId/approve')
  @HttpCode(200)
  @Policy('supervision.decide')
  approve(
    @Param('id', uuid) id: string,
    @Param('requestId', uuid) requestId: string,
    @Body() b: ExtensionApprovalDto,
    @CommandMeta() meta: HttpCommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.step(id, { type: 'ApproveExtension', requestId, comment: b.comment }, meta, reply, { requestId });
  }

  @Post(':id/extension-requests/:requestId/refuse')
  @HttpCode(200)
  @Policy('supervision.decide')
  refuse(
    @Param('id', uuid) id: string,
    @Param('requestId', uuid) requestId: string,
    @Body() b: ExtensionRefusalDto,
    @CommandMeta() meta: HttpCommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.step(id, { type: 'RefuseExtension', requestId, reason: b.reason }, meta, reply, { requestId });
  }

  @Post(':id/results')
  @HttpCode(201)
  @Policy('supervision.handle')
  @ApiOperation({ summary: '报送办理结果' })
  result(@Param('id', uuid) id: string, @Body() b: ResultDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const resultId = derivedId(meta, 'result');
    return this.step(id, { type: 'ReportSupervisionResult', resultId, summary: b.summary }, meta, reply, { resultId });
  }

  @Post(':id/review')
  @HttpCode(200)
  @Policy('supervision.decide')
  @ApiOperation({ summary: '审结（通过或退回重办）' })
  review(@Param('id', uuid) id: string, @Body() b: ReviewDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.step(id, { type: 'ReviewSupervisionResult', outcome: b.outcome, comment: b.comment }, meta, reply, { outcome: b.outcome });
  }
}
