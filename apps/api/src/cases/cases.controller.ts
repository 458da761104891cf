import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { streams, type Actor } from '@coord/domain';
import { BulletinSourceQuery, CaseQuery } from '@coord/read-models';
import { RecusalService } from '../auth/authorization/recusal';
import { CurrentActor, Policy } from '../auth/auth.decorators';
import { HistoryService } from '../history/history.service';
import { ConsistentRead } from '../http/consistent-read.service';
import { CommandMeta, derivedId, type HttpCommandMeta } from '../http/command-context';
import { commandResponse, eventData } from '../http/command-response';
import { ReadQueryDto } from '../http/read-query.dto';
import { scopeOf } from '../http/scope';
import { CaseStepBusCommand, FileCaseBusCommand } from './case.bus-commands';
import {
  CaseFlagsDto,
  CloseCaseDto,
  CourtResultDto,
  FileCaseDto,
  JudicialTransferDto,
  ListCasesQueryDto,
  ProgressReportDto,
  RecoveryCorrectionDto,
  RecoveryDto,
  SanctionDto,
} from './case.dto';

const uuid = new ParseUUIDPipe();

@ApiTags('cases 案件')
@ApiBearerAuth()
@Controller('api/cases')
export class CasesController {
  constructor(
    private readonly bus: CommandBus,
    private readonly cases: CaseQuery,
    private readonly bulletins: BulletinSourceQuery,
    private readonly history: HistoryService,
    private readonly consistent: ConsistentRead,
    private readonly recusal: RecusalService,
  ) {}

  @Post()
  @HttpCode(201)
  @Policy('case.file')
  @ApiOperation({ summary: '立案（由一条或多条线索）' })
  async file(@Body() body: FileCaseDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new FileCaseBusCommand(body, meta));
    const data = eventData<{ caseId: string; caseNo: string }>(result, 'case.filed');
    return commandResponse(reply, result, { id: data.caseId, caseNo: data.caseNo });
  }

  @Get()
  @Policy('case.list')
  async list(@Query() q: ListCasesQueryDto, @CurrentActor() actor: Actor) {
    const { caseIds } = await this.recusal.hiddenFrom(actor);
    return this.cases.list({ status: q.status, agency: q.agency, limit: q.limit ?? 50, offset: q.offset ?? 0, scopeAgency: scopeOf(actor), excludeIds: caseIds });
  }

  @Get('bulletin-sources')
  @Policy('case.bulletin-source.list')
  @ApiOperation({ summary: '《案情专报》素材：重大、疑难案件' })
  async bulletinSources(@Query() _q: ReadQueryDto, @CurrentActor() actor: Actor) {
    return this.bulletins.listEligible({ excludeCaseIds: (await this.recusal.hiddenFrom(actor)).caseIds });
  }

  @Get(':id')
  @Policy('case.read')
  async get(@Param('id', uuid) id: string, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    const version = await this.consistent.settle(streams.case(id));
    const row = await this.cases.get(id, { scopeAgency: scopeOf(actor) });
    if (!row) throw new NotFoundException();
    void reply.header('etag', `"${version}"`);
    return row;
  }

  @Get(':id/history')
  @Policy('case.history')
  async historyOf(@Param('id', uuid) id: string, @CurrentActor() actor: Actor) {
    if (!(await this.cases.get(id, { scopeAgency: scopeOf(actor) }))) throw new NotFoundException();
    return this.history.of(streams.case(id));
  }

  @Get(':id/bulletin-source')
  @Policy('case.bulletin-source.read')
  @ApiOperation({ summary: '单个案件的《案情专报》素材' })
  async bulletinSource(@Param('id', uuid) id: string) {
    const row = await this.bulletins.get(id);
    if (!row) throw new NotFoundException();
    return row;
  }

  private async step(id: string, command: CaseStepBusCommand['command'], meta: HttpCommandMeta, reply: FastifyReply, extra: object = {}) {
    const result = await this.bus.execute(new CaseStepBusCommand(id, command, meta));
    return commandResponse(reply, result, { id, ...extra });
  }

  @Post(':id/progress-reports')
  @HttpCode(201)
  @Policy('case.progress.report')
  @ApiOperation({ summary: '案情报告' })
  progress(@Param('id', uuid) id: string, @Body() b: ProgressReportDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const reportId = derivedId(meta, 'progress-report');
    return this.step(id, { type: 'ReportCaseProgress', reportId, stage: b.stage, summary: b.summary, reportedOn: b.reportedOn }, meta, reply, { reportId });
  }

  @Post(':id/recoveries')
  @HttpCode(201)
  @Policy('case.recovery.record')
  @ApiOperation({ summary: '挽回经济损失（金额单位：分）' })
  async recover(@Param('id', uuid) id: string, @Body() b: RecoveryDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(
      new CaseStepBusCommand(id, { type: 'RecordRecovery', recoveryId: derivedId(meta, 'recovery'), amountFen: b.amountFen, category: b.category, agency: b.agency, recoveredOn: b.recoveredOn, note: b.note }, meta),
    );
    const data = eventData<{ recoveryId: string; amountFen: number }>(result, 'case.loss-recovered');
    return commandResponse(reply, result, { id, recoveryId: data.recoveryId, amountFen: data.amountFen });
  }

  @Post(':id/recoveries/:recoveryId/corrections')
  @HttpCode(201)
  @Policy('case.recovery.correct')
  @ApiOperation({ summary: '更正挽损金额（冲正记录，不修改原记录）' })
  correct(
    @Param('id', uuid) id: string,
    @Param('recoveryId', uuid) recoveryId: string,
    @Body() b: RecoveryCorrectionDto,
    @CommandMeta() meta: HttpCommandMeta,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const correctionId = derivedId(meta, 'correction');
    return this.step(id, { type: 'CorrectRecovery', recoveryId, correctionId, correctedAmountFen: b.correctedAmountFen, reason: b.reason }, meta, reply, { recoveryId, correctionId });
  }

  @Post(':id/sanctions')
  @HttpCode(201)
  @Policy('case.sanction')
  @ApiOperation({ summary: '处分（党纪、政务、诫勉谈话、组织处理）' })
  sanction(@Param('id', uuid) id: string, @Body() b: SanctionDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const sanctionId = derivedId(meta, 'sanction');
    return this.step(id, { type: 'ImposeSanction', sanctionId, personName: b.personName, kind: b.kind, level: b.level, measure: b.measure, decidedOn: b.decidedOn }, meta, reply, { sanctionId });
  }

  @Post(':id/judicial-transfer')
  @HttpCode(200)
  @Policy('case.judicial-transfer')
  @ApiOperation({ summary: '移送司法机关' })
  judicial(@Param('id', uuid) id: string, @Body() b: JudicialTransferDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.step(id, { type: 'TransferCaseToJudiciary', toAgency: b.toAgency, summary: b.summary, transferredOn: b.transferredOn }, meta, reply);
  }

  @Post(':id/court-result')
  @HttpCode(200)
  @Policy('case.judicial-transfer')
  courtResult(@Param('id', uuid) id: string, @Body() b: CourtResultDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.step(id, { type: 'RecordCourtResult', result: b.result, decidedOn: b.decidedOn }, meta, reply);
  }

  @Post(':id/flags')
  @HttpCode(200)
  @Policy('case.flags')
  flags(@Param('id', uuid) id: string, @Body() b: CaseFlagsDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.step(id, { type: 'ChangeCaseFlags', major: b.major, difficult: b.difficult, reason: b.reason }, meta, reply);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Policy('case.close')
  @ApiOperation({ summary: '结案' })
  close(@Param('id', uuid) id: string, @Body() b: CloseCaseDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.step(id, { type: 'CloseCase', summary: b.summary, closedOn: b.closedOn }, meta, reply);
  }
}
