import { Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { shanghaiDateOf, type Actor } from '@coord/domain';
import { RecusalService } from '../auth/authorization/recusal';
import { CurrentActor, Policy } from '../auth/auth.decorators';
import { CommandMeta, type HttpCommandMeta } from '../http/command-context';
import { InputProblem } from '../http/problem-details';
import { scopeOf } from '../http/scope';
import { download, XLSX_TYPE } from '../reports/download';
import { AsOfLedgerQueryDto, ExportQueryDto, ImportQueryDto } from './ledger-io.dto';
import { LEDGER_SHEET_NAMES, LedgerExportService, type LedgerFileKind } from './ledger-export.service';
import { LedgerImportService } from './ledger-import.service';
import { CSV_MIME, XLSX_MIME } from './ledger-upload.parser';
import { TimeTravelService } from './time-travel.service';

/** 台账导入导出. Exports are scoped like the list endpoints; imports of history are the office's job. */
@ApiTags('ledgers 台账')
@ApiBearerAuth()
@Controller('api/ledgers')
export class LedgersController {
  constructor(
    private readonly exporter: LedgerExportService,
    private readonly importer: LedgerImportService,
    private readonly timeTravel: TimeTravelService,
    private readonly recusal: RecusalService,
  ) {}

  @Get('leads')
  @Policy('ledger.read-as-of')
  @ApiOperation({ summary: '线索台账截至某日（asOf，按业务日期从事件回溯，而非当前数据）' })
  async leadsAsOf(@Query() q: AsOfLedgerQueryDto, @CurrentActor() actor: Actor) {
    const { leadIds } = await this.recusal.hiddenFrom(actor);
    return this.timeTravel.leads(q.asOf ?? shanghaiDateOf(new Date()), { scopeAgency: scopeOf(actor), excludeIds: leadIds, limit: q.limit, offset: q.offset });
  }

  @Get('cases')
  @Policy('ledger.read-as-of')
  @ApiOperation({ summary: '案件台账截至某日（asOf，按业务日期从事件回溯）' })
  async casesAsOf(@Query() q: AsOfLedgerQueryDto, @CurrentActor() actor: Actor) {
    const { caseIds } = await this.recusal.hiddenFrom(actor);
    return this.timeTravel.cases(q.asOf ?? shanghaiDateOf(new Date()), { scopeAgency: scopeOf(actor), excludeIds: caseIds, limit: q.limit, offset: q.offset });
  }

  @Get('supervision-items')
  @Policy('ledger.read-as-of')
  @ApiOperation({ summary: '督办台账截至某日（asOf，按业务日期从事件回溯）' })
  supervisionAsOf(@Query() q: AsOfLedgerQueryDto, @CurrentActor() actor: Actor) {
    return this.timeTravel.supervision(q.asOf ?? shanghaiDateOf(new Date()), { scopeAgency: scopeOf(actor), limit: q.limit, offset: q.offset });
  }

  private async export(kind: LedgerFileKind, actor: Actor, reply: FastifyReply) {
    const file = await this.exporter.xlsx(kind, scopeOf(actor), await this.recusal.hiddenFrom(actor));
    const today = shanghaiDateOf(new Date());
    return download(reply, file, XLSX_TYPE, `${LEDGER_SHEET_NAMES[kind]}-${today}.xlsx`, `${kind}-${today}.xlsx`);
  }

  @Get('leads.xlsx')
  @Policy('ledger.export')
  @ApiOperation({ summary: '导出线索台账（Excel；单位用户仅本单位可见的线索）' })
  leads(@Query() _q: ExportQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.export('leads', actor, reply);
  }

  @Get('cases.xlsx')
  @Policy('ledger.export')
  @ApiOperation({ summary: '导出案件台账（Excel）' })
  cases(@Query() _q: ExportQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.export('cases', actor, reply);
  }

  @Get('supervision-items.xlsx')
  @Policy('ledger.export')
  @ApiOperation({ summary: '导出督办台账（Excel）' })
  supervision(@Query() _q: ExportQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.export('supervision-items', actor, reply);
  }

  @Get('recoveries.xlsx')
  @Policy('ledger.export')
  @ApiOperation({ summary: '导出挽损台账（Excel；单位用户仅本单位挽回的损失）' })
  recoveries(@Query() _q: ExportQueryDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.export('recoveries', actor, reply);
  }

  @Post('import')
  @Policy('ledger.import')
  @ApiOperation({
    summary: '导入历史台账（请求体为 .xlsx 或 .csv 文件本身；先校验全部行，有错则不写入并逐行列出；重复导入不重复写入）',
  })
  async import(@Query() q: ImportQueryDto, @Req() req: FastifyRequest, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!Buffer.isBuffer(req.body) || (type !== XLSX_MIME && type !== CSV_MIME)) {
      throw new InputProblem(415, 'unsupported-media-type', `请以 ${XLSX_MIME} 或 ${CSV_MIME} 上传台账文件本身`, [{ field: 'Content-Type', message: '不支持的类型' }]);
    }
    const result = await this.importer.import(req.body, { kind: q.kind, fileName: q.fileName ?? (type === CSV_MIME ? 'ledger.csv' : 'ledger.xlsx'), csv: type === CSV_MIME }, meta);
    void reply.status(result.written ? 201 : 200);
    return result;
  }
}
