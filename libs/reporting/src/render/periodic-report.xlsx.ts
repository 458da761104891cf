import ExcelJS from 'exceljs';
import type { PeriodicReportFigures, ReportCountRow, ReportMoneyRow } from '@coord/domain';

/**
 * The report's figures as a workbook: a summary sheet (指标 / 数值) and one sheet per breakdown. Amounts
 * are written twice: exact integer fen (the figure of record) and yuan formatted for reading.
 */
export async function renderPeriodicReportXlsx(f: PeriodicReportFigures, meta: { title: string }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '反腐败协调小组工作平台';
  const summary = wb.addWorksheet('总表');
  summary.columns = [
    { header: '指标', key: 'label', width: 36 },
    { header: '数值', key: 'value', width: 22 },
  ];
  summary.insertRow(1, [meta.title]);
  summary.mergeCells('A1:B1');
  summary.getRow(1).font = { bold: true, size: 14 };
  summary.getRow(2).font = { bold: true };
  const p = f.period;
  const rows: [string, string | number][] = [
    ['统计起始日期', p.from],
    ['统计截止日期', p.to],
    ['数据截至', p.asOf],
    ['受理问题线索（件）', f.leads.total],
    ['其中重要线索（件）', f.leads.important],
    ['移送线索（件）', f.transfers.total],
    ['按时签收（件）', f.transfers.acknowledgedInTime],
    ['超时签收（件）', f.transfers.acknowledgedLate],
    ['逾期未签收（件）', f.transfers.acknowledgementOverdue],
    ['按时处理（件）', f.transfers.decidedInTime],
    ['超时处理（件）', f.transfers.decidedLate],
    ['逾期未处理（件）', f.transfers.decisionOverdue],
    ['处置线索（件）', f.dispositions.total],
    ['立案（件）', f.cases.filed],
    ['结案（件）', f.cases.closed],
    ['在办案件（件）', f.cases.openAsOf],
    ['处分（人次）', f.sanctions.total],
    ['移送司法机关（件）', f.judicialTransfers.total],
    ['挽回经济损失（分）', f.recoveries.totalFen],
    ['挽回经济损失（元）', f.recoveries.totalFen / 100],
    ['挽损涉及案件（件）', f.recoveries.caseCount],
    ['新立督办事项（项）', f.supervision.opened],
    ['办结督办事项（项）', f.supervision.completed],
    ['超期办结（项）', f.supervision.completedLate],
    ['逾期未办结（项）', f.supervision.overdue],
    ['召开联席会议（次）', f.meetings.held],
    ['研究决定事项（项）', f.meetings.decisions],
    ['通过决定事项（项）', f.meetings.decisionsPassed],
    ['累计立案（件）', f.cumulative.casesFiled],
    ['累计挽回经济损失（分）', f.cumulative.recoveredFen],
  ];
  for (const [label, value] of rows) {
    const r = summary.addRow({ label, value });
    if (label.endsWith('（元）')) r.getCell('value').numFmt = '#,##0.00';
  }
  const counts = (name: string, first: string, data: ReportCountRow[]) => {
    const ws = wb.addWorksheet(name);
    ws.columns = [
      { header: '代码', key: 'key', width: 28 },
      { header: first, key: 'label', width: 28 },
      { header: '件数', key: 'count', width: 12 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const r of data) ws.addRow(r);
  };
  const money = (name: string, first: string, data: ReportMoneyRow[]) => {
    const ws = wb.addWorksheet(name);
    ws.columns = [
      { header: '代码', key: 'key', width: 24 },
      { header: first, key: 'label', width: 24 },
      { header: '金额（分）', key: 'totalFen', width: 18 },
      { header: '金额（元）', key: 'yuan', width: 20, style: { numFmt: '#,##0.00' } },
      { header: '涉及案件（件）', key: 'caseCount', width: 16 },
    ];
    ws.getRow(1).font = { bold: true };
    for (const r of data) ws.addRow({ ...r, yuan: r.totalFen / 100 });
  };
  counts('线索来源', '线索来源', f.leads.bySource);
  counts('报送单位', '报送单位', f.leads.byAgency);
  counts('移送接收单位', '接收单位', f.transfers.byReceivingAgency);
  counts('移送办理结果', '办理结果', f.transfers.byOutcome);
  counts('处置方式', '处置方式', f.dispositions.byMethod);
  counts('立案主办单位', '主办单位', f.cases.filedByAgency);
  counts('处分种类', '处分种类', f.sanctions.byLevel);
  counts('移送司法', '移送机关', f.judicialTransfers.byAgency);
  money('挽损单位', '挽损单位', f.recoveries.byAgency);
  money('挽损类别', '挽损类别', f.recoveries.byCategory);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
