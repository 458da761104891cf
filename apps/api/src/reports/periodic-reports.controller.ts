import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { shanghaiDateOf } from '@coord/domain';
import { chineseDate, defaultReportTitle, renderPeriodicReportDocx, renderPeriodicReportXlsx } from '@coord/reporting';
import { Policy } from '../auth/auth.decorators';
import { CommandMeta, type HttpCommandMeta } from '../http/command-context';
import { commandResponse } from '../http/command-response';
import { DOCX_TYPE, download, XLSX_TYPE } from './download';
import { IssuePeriodicReportDto, PeriodicReportQueryDto } from './periodic-report.dto';
import { PeriodicReportService } from './periodic-report.service';

const uuid = new ParseUUIDPipe();
const ISSUER = '县反腐败协调小组办公室';

/**
 * 定期报告 to the county committee. Live figures for any period and as of any date (computed from the
 * events by business date), an immutable issued snapshot, and both as DOCX and XLSX. Group-wide figures
 * name every agency's work, so member-agency users do not get them.
 */
@ApiTags('reports 统计')
@ApiBearerAuth()
@Controller('api/reports')
export class PeriodicReportsController {
  constructor(private readonly reports: PeriodicReportService) {}

  @Get('periodic')
  @Policy('report.periodic.read')
  @ApiOperation({ summary: '定期报告数据（按业务日期从事件计算；preset=2026-H1 / 2026-H2 / 2026，或 from/to，asOf）' })
  async live(@Query() q: PeriodicReportQueryDto) {
    const period = this.reports.period(q);
    return { title: defaultReportTitle(period), figures: await this.reports.compute(period) };
  }

  @Get('periodic.docx')
  @Policy('report.periodic.read')
  @ApiOperation({ summary: '定期报告（Word，未印发的实时数据）' })
  async liveDocx(@Query() q: PeriodicReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const period = this.reports.period(q);
    const title = defaultReportTitle(period);
    const file = await renderPeriodicReportDocx(await this.reports.compute(period), { title, issuer: ISSUER, dateLine: chineseDate(shanghaiDateOf(new Date())), note: '（未印发稿，数据随录入变化）' });
    return download(reply, file, DOCX_TYPE, `${title}.docx`, 'periodic-report.docx');
  }

  @Get('periodic.xlsx')
  @Policy('report.periodic.read')
  @ApiOperation({ summary: '定期报告（Excel，未印发的实时数据）' })
  async liveXlsx(@Query() q: PeriodicReportQueryDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const period = this.reports.period(q);
    const title = defaultReportTitle(period);
    const file = await renderPeriodicReportXlsx(await this.reports.compute(period), { title });
    return download(reply, file, XLSX_TYPE, `${title}.xlsx`, 'periodic-report.xlsx');
  }

  @Post('periodic')
  @HttpCode(201)
  @Policy('report.periodic.issue')
  @ApiOperation({ summary: '印发定期报告（固定为不可变快照，之后录入的事项不改变已印发的报告）' })
  async issue(@Body() body: IssuePeriodicReportDto, @CommandMeta() meta: HttpCommandMeta, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.reports.issue(body, meta);
    return commandResponse(reply, result, { id: result.reportId });
  }

  @Get('periodic/:id')
  @Policy('report.periodic.read')
  @ApiOperation({ summary: '已印发的定期报告（快照）' })
  async issued(@Param('id', uuid) id: string) {
    const report = await this.reports.get(id);
    if (!report) throw new NotFoundException();
    return report;
  }

  @Get('periodic/:id/docx')
  @Policy('report.periodic.read')
  @ApiOperation({ summary: '已印发的定期报告（Word）' })
  async issuedDocx(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.get(id);
    if (!report) throw new NotFoundException();
    const file = await renderPeriodicReportDocx(report.figures, { title: report.title, issuer: ISSUER, dateLine: chineseDate(report.issuedOn) });
    return download(reply, file, DOCX_TYPE, `${report.title}.docx`, 'periodic-report.docx');
  }

  @Get('periodic/:id/xlsx')
  @Policy('report.periodic.read')
  @ApiOperation({ summary: '已印发的定期报告（Excel）' })
  async issuedXlsx(@Param('id', uuid) id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    const report = await this.reports.get(id);
    if (!report) throw new NotFoundException();
    const file = await renderPeriodicReportXlsx(report.figures, { title: report.title });
    return download(reply, file, XLSX_TYPE, `${report.title}.xlsx`, 'periodic-report.xlsx');
  }
}
