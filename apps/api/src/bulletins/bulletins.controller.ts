import { Body, Controller, Get, Header, HttpCode, NotFoundException, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { bulletinDecider, streams, type Actor, type BulletinState } from '@coord/domain';
import { CommandHandler } from '@coord/event-store';
import { BulletinRegisterQuery } from '@coord/read-models';
import { CurrentActor, Policy } from '../auth/auth.decorators';
import { RecusalService } from '../auth/authorization/recusal';
import { HistoryService } from '../history/history.service';
import { CommandMeta, type HttpCommandMeta } from '../http/command-context';
import { commandResponse, eventData } from '../http/command-response';
import { ReadQueryDto } from '../http/read-query.dto';
import { BulletinStepBusCommand, DraftBulletinBusCommand, DraftBulletinCorrectionBusCommand, IssueBulletinBusCommand } from './bulletin.bus-commands';
import { ApproveBulletinDto, CorrectBulletinDto, DraftBulletinDto, IssueBulletinDto, ListBulletinsQueryDto, ReviseBulletinDto } from './bulletin.dto';
import { bulletinDocumentOf, bulletinFileName, contentDisposition } from './rendering/bulletin-document';
import { renderBulletinDocx } from './rendering/bulletin-docx.renderer';
import { renderBulletinHtml } from './rendering/bulletin-html.renderer';

const uuid = new ParseUUIDPipe();
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

type ExistingBulletin = Exclude<BulletinState, { status: 'none' }>;

@ApiTags('bulletins 案情专报')
@ApiBearerAuth()
@Controller('api')
export class BulletinsController {
  constructor(
    private readonly bus: CommandBus,
    private readonly handler: CommandHandler,
    private readonly register: BulletinRegisterQuery,
    private readonly history: HistoryService,
    private readonly recusal: RecusalService,
  ) {}

  /** The bulletin as its own stream holds it: the text shown and printed is exactly what was signed. */
  private async load(id: string): Promise<{ state: ExistingBulletin; version: number }> {
    const loaded = await this.handler.load(bulletinDecider, streams.bulletin(id));
    if (loaded.state.status === 'none') throw new NotFoundException();
    return { state: loaded.state, version: loaded.version };
  }

  @Post('cases/:caseId/bulletins')
  @HttpCode(201)
  @Policy('bulletin.draft')
  @ApiOperation({ summary: '拟写《案情专报》（由案件素材生成草稿，仅限重大、疑难案件）' })
  async draft(@Param('caseId', uuid) caseId: string, @Body() body: DraftBulletinDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new DraftBulletinBusCommand(caseId, body, meta));
    const data = eventData<{ bulletinId: string; content: unknown }>(result, 'bulletin.drafted');
    return commandResponse(reply, result, { id: data.bulletinId, caseId, status: 'draft', revision: 1, content: data.content });
  }

  @Get('bulletins')
  @Policy('bulletin.list')
  @ApiOperation({ summary: '专报登记簿（可按印发年度、状态、案件筛选）' })
  async list(@Query() q: ListBulletinsQueryDto, @CurrentActor() actor: Actor) {
    // 回避: a bulletin names its case (number, title); by id it is refused, so the register leaves it out too
    const { caseIds } = await this.recusal.hiddenFrom(actor);
    return this.register.list({ year: q.year, status: q.status, caseId: q.caseId, limit: q.limit ?? 50, offset: q.offset ?? 0, excludeCaseIds: caseIds });
  }

  @Get('bulletins/:id.docx')
  @Policy('bulletin.read')
  @ApiProduces(DOCX_TYPE)
  @ApiOperation({ summary: '下载 Word 文档（公文格式）' })
  async docx(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, version } = await this.load(id);
    const doc = bulletinDocumentOf(state);
    void reply.header('content-type', DOCX_TYPE).header('content-disposition', contentDisposition(bulletinFileName(doc, 'docx'))).header('etag', `"${version}"`);
    return renderBulletinDocx(doc);
  }

  @Get('bulletins/:id.html')
  @Policy('bulletin.read')
  @ApiProduces('text/html')
  @ApiOperation({ summary: '可打印的 HTML（A4）' })
  @Header('cache-control', 'no-store')
  async html(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, version } = await this.load(id);
    const doc = bulletinDocumentOf(state);
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-disposition', contentDisposition(bulletinFileName(doc, 'html'), 'inline'))
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .header('etag', `"${version}"`);
    return renderBulletinHtml(doc);
  }

  @Get('bulletins/:id')
  @Policy('bulletin.read')
  @ApiOperation({ summary: '专报详情（当前稿、签发、印发、更正关系）' })
  async get(@Param('id', uuid) id: string, @Query() _q: ReadQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const { state, version } = await this.load(id);
    const row = await this.register.get(id);
    void reply.header('etag', `"${version}"`);
    return {
      id: state.bulletinId,
      caseId: state.caseId,
      caseNo: state.caseNo,
      status: state.status,
      revision: state.revision,
      content: state.content,
      drafter: state.drafter,
      draftedOn: state.draftedOn,
      corrects: state.corrects ?? null,
      approval: state.approval ?? null,
      issue: state.issue ?? null,
      // corrections live in their own streams; the register links them back
      correctedBy: row?.correctedBy ?? [],
      version,
    };
  }

  @Get('bulletins/:id/history')
  @Policy('bulletin.read')
  async historyOf(@Param('id', uuid) id: string) {
    await this.load(id);
    return this.history.of(streams.bulletin(id));
  }

  @Patch('bulletins/:id')
  @HttpCode(200)
  @Policy('bulletin.write')
  @ApiOperation({ summary: '修改草稿（If-Match: 所编辑的版本；印发后不可修改）' })
  async revise(@Param('id', uuid) id: string, @Body() b: ReviseBulletinDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const sections = Object.fromEntries(Object.entries(b.sections ?? {}).filter(([, v]) => v !== undefined));
    const result = await this.bus.execute(new BulletinStepBusCommand(id, { type: 'ReviseBulletinDraft', changes: { ...(b.title !== undefined ? { title: b.title } : {}), sections } }, meta));
    const revised = result.events.find((e) => e.type === 'bulletin.draft-revised')?.data as { revision: number } | undefined;
    return commandResponse(reply, result, { id, ...(revised ? { revision: revised.revision } : {}) });
  }

  @Post('bulletins/:id/approve')
  @HttpCode(200)
  @Policy('bulletin.approve')
  @ApiOperation({ summary: '组长签发' })
  approve(@Param('id', uuid) id: string, @Body() b: ApproveBulletinDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.bus
      .execute(new BulletinStepBusCommand(id, { type: 'ApproveBulletin', revision: b.revision, signerName: b.signerName, opinion: b.opinion }, meta))
      .then((result) => commandResponse(reply, result, { id, status: 'approved' }));
  }

  @Post('bulletins/:id/issue')
  @HttpCode(200)
  @Policy('bulletin.write')
  @ApiOperation({ summary: '印发（分配当年期号〔年〕第n期，确定主送、抄送）' })
  async issue(@Param('id', uuid) id: string, @Body() b: IssueBulletinDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new IssueBulletinBusCommand(id, b, meta));
    const data = eventData<{ year: number; seq: number; issueNo: string; issuedOn: string; distribution: unknown }>(result, 'bulletin.issued');
    return commandResponse(reply, result, { id, status: 'issued', year: data.year, seq: data.seq, issueNo: data.issueNo, issuedOn: data.issuedOn, distribution: data.distribution });
  }

  @Post('bulletins/:id/corrections')
  @HttpCode(201)
  @Policy('bulletin.write')
  @ApiOperation({ summary: '更正已印发的专报（另拟一期更正专报，原文不变）' })
  async correct(@Param('id', uuid) id: string, @Body() b: CorrectBulletinDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.bus.execute(new DraftBulletinCorrectionBusCommand(id, b, meta));
    const data = eventData<{ bulletinId: string; correctsBulletinId: string; correctsIssueNo: string }>(result, 'bulletin.correction-drafted');
    return commandResponse(reply, result, { id: data.bulletinId, status: 'draft', revision: 1, correctsBulletinId: data.correctsBulletinId, correctsIssueNo: data.correctsIssueNo });
  }
}
