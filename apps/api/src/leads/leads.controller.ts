import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { streams, type Actor } from '@coord/domain';
import { LeadQuery } from '@coord/read-models';
import { RecusalService } from '../auth/authorization/recusal';
import { CurrentActor, Policy } from '../auth/auth.decorators';
import { CommandMeta, derivedId, type HttpCommandMeta } from '../http/command-context';
import { commandResponse, eventData } from '../http/command-response';
import { HistoryService } from '../history/history.service';
import { ConsistentRead } from '../http/consistent-read.service';
import { scopeOf } from '../http/scope';
import { ConcludeDispositionDto, DispositionDto, ListLeadsQueryDto, RegisterLeadDto, ReturnTransferDto, TransferLeadDto } from './lead.dto';
import { LeadStepBusCommand, RegisterLeadBusCommand } from './lead.bus-commands';

const uuid = new ParseUUIDPipe({ version: undefined });

@ApiTags('leads 问题线索')
@ApiBearerAuth()
@Controller('api/leads')
export class LeadsController {
  constructor(
    private readonly bus: CommandBus,
    private readonly leads: LeadQuery,
    private readonly history: HistoryService,
    private readonly consistent: ConsistentRead,
    private readonly recusal: RecusalService,
  ) {}

  @Post()
  @HttpCode(201)
  @Policy('lead.register')
  @ApiOperation({ summary: '登记问题线索（台账编号按年连续）' })
  async register(@Body() body: RegisterLeadDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new RegisterLeadBusCommand(body, meta));
    const data = eventData<{ leadId: string; ledgerNo: string }>(result, 'lead.registered');
    // the lead's stream is the command's primary stream: result.version is already the lead's version
    return commandResponse(reply, result, { id: data.leadId, ledgerNo: data.ledgerNo });
  }

  @Get()
  @Policy('lead.list')
  @ApiOperation({ summary: '线索台账（单位用户仅见本单位登记、持有或收到的线索）' })
  async list(@Query() q: ListLeadsQueryDto, @CurrentActor() actor: Actor) {
    const { leadIds } = await this.recusal.hiddenFrom(actor);
    return this.leads.list({ status: q.status, agency: q.agency, source: q.source, limit: q.limit ?? 50, offset: q.offset ?? 0, before: q.before, scopeAgency: scopeOf(actor), excludeIds: leadIds });
  }

  @Get(':id')
  @Policy('lead.read')
  async get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const version = await this.consistent.settle(streams.lead(id));
    const lead = await this.leads.get(id, { scopeAgency: scopeOf(actor) });
    if (!lead) throw new NotFoundException();
    void reply.header('etag', `"${version}"`);
    return lead;
  }

  @Get(':id/history')
  @Policy('lead.history')
  @ApiOperation({ summary: '线索全程记录（不含举报人信息）' })
  async historyOf(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    if (!(await this.leads.get(id, { scopeAgency: scopeOf(actor) }))) throw new NotFoundException();
    return this.history.of(streams.lead(id));
  }

  @Post(':id/transfers')
  @HttpCode(201)
  @Policy('lead.transfer')
  @ApiOperation({ summary: '线索移送' })
  async transfer(@Param('id', uuid) id: string, @Body() body: TransferLeadDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new LeadStepBusCommand(id, { type: 'TransferLead', transferId: derivedId(meta, 'transfer'), ...body }, meta));
    const data = eventData<{ transferId: string; toAgency: string }>(result, 'lead.transferred');
    return commandResponse(reply, result, { id, transferId: data.transferId, toAgency: data.toAgency });
  }

  @Post(':id/transfers/:transferId/acknowledge')
  @HttpCode(200)
  @Policy('lead.transfer.receive')
  @ApiOperation({ summary: '签收' })
  async acknowledge(@Param('id', uuid) id: string, @Param('transferId', uuid) transferId: string, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new LeadStepBusCommand(id, { type: 'AcknowledgeTransfer', transferId }, meta));
    return commandResponse(reply, result, { id, transferId });
  }

  @Post(':id/transfers/:transferId/accept')
  @HttpCode(200)
  @Policy('lead.transfer.receive')
  @ApiOperation({ summary: '接收' })
  async accept(@Param('id', uuid) id: string, @Param('transferId', uuid) transferId: string, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new LeadStepBusCommand(id, { type: 'AcceptTransfer', transferId }, meta));
    return commandResponse(reply, result, { id, transferId });
  }

  @Post(':id/transfers/:transferId/return')
  @HttpCode(200)
  @Policy('lead.transfer.receive')
  @ApiOperation({ summary: '退回（须说明理由）' })
  async returnTransfer(
    @Param('id', uuid) id: string,
    @Param('transferId', uuid) transferId: string,
    @Body() body: ReturnTransferDto,
    @CommandMeta() meta: HttpCommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.bus.execute(new LeadStepBusCommand(id, { type: 'ReturnTransfer', transferId, reason: body.reason }, meta));
    return commandResponse(reply, result, { id, transferId });
  }

  @Post(':id/transfers/:transferId/forward')
  @HttpCode(201)
  @Policy('lead.transfer')
  @ApiOperation({ summary: '转送其他单位' })
  async forward(
    @Param('id', uuid) id: string,
    @Param('transferId', uuid) transferId: string,
    @Body() body: TransferLeadDto,
    @CommandMeta() meta: HttpCommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const result = await this.bus.execute(new LeadStepBusCommand(id, { type: 'ForwardTransfer', transferId, nextTransferId: derivedId(meta, 'transfer'), ...body }, meta));
    const data = eventData<{ nextTransferId: string }>(result, 'lead.transfer-forwarded');
    return commandResponse(reply, result, { id, transferId: data.nextTransferId });
  }

  @Post(':id/disposition')
  @HttpCode(200)
  @Policy('lead.dispose')
  @ApiOperation({ summary: '处置（谈话函询、初步核实、暂存待查、予以了结）' })
  async dispose(@Param('id', uuid) id: string, @Body() body: DispositionDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new LeadStepBusCommand(id, { type: 'DecideDisposition', method: body.method, rationale: body.rationale }, meta));
    return commandResponse(reply, result, { id, method: body.method });
  }

  @Post(':id/disposition/conclusion')
  @HttpCode(200)
  @Policy('lead.dispose')
  @ApiOperation({ summary: '处置办结（函询了结、初核完成）' })
  async conclude(@Param('id', uuid) id: string, @Body() body: ConcludeDispositionDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new LeadStepBusCommand(id, { type: 'ConcludeDisposition', conclusion: body.conclusion }, meta));
    return commandResponse(reply, result, { id });
  }
}
