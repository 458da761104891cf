import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { PeriodicReportFigures, ReportCountRow, ReportMoneyRow } from '@coord/domain';
import { fenToWanYuan, fenToYuan } from '../report-labels';

/**
 * A 公文-like layout after GB/T 9704: A4, margins 37/35/28/26 mm, title in 方正小标宋简体 二号 centred,
 * body in 仿宋_GB2312 三号, first-level headings 一、 in 黑体, tables in 仿宋 四号 with full borders.
 * Fonts that a reader lacks fall back to the system's Song/Fang Song; the text is what matters legally.
 */
const FONT_TITLE = '方正小标宋简体';
const FONT_BODY = '仿宋_GB2312';
const FONT_H1 = '黑体';
const FONT_H2 = '楷体_GB2312';
const SIZE_2 = 44; // 二号 22pt (half-points)
const SIZE_3 = 32; // 三号 16pt
const SIZE_4 = 28; // 四号 14pt
const MM = 56.7; // twips per millimetre

export interface ReportDocumentMeta {
  title: string;
  /** e.g. 县反腐败协调小组办公室 */
  issuer: string;
  /** the date printed under the text (the issue date of a snapshot, today for a live report) */
  dateLine: string;
  /** 内部资料 / 印发 line; optional */
  note?: string;
}

/** 2026-06-30 → 2026年6月30日 */
export const chineseDate = (d: string): string => `${+d.slice(0, 4)}年${+d.slice(5, 7)}月${+d.slice(8, 10)}日`;

const run = (text: string, font = FONT_BODY, size = SIZE_3, bold = false) => new TextRun({ text, font: { eastAsia: font, ascii: font, hAnsi: font }, size, bold });
const body = (text: string) => new Paragraph({ children: [run(text)], indent: { firstLine: 2 * SIZE_3 * 10 }, spacing: { line: 560, lineRule: 'exact' } });
const h1 = (text: string) => new Paragraph({ children: [run(text, FONT_H1)], indent: { firstLine: 2 * SIZE_3 * 10 }, spacing: { line: 560, lineRule: 'exact' } });
const h2 = (text: string) => new Paragraph({ children: [run(text, FONT_H2)], indent: { firstLine: 2 * SIZE_3 * 10 }, spacing: { line: 560, lineRule: 'exact' } });

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const cell = (text: string, header = false, align: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.CENTER) =>
  new TableCell({
    children: [new Paragraph({ alignment: align, children: [run(text, header ? FONT_H1 : FONT_BODY, SIZE_4)] })],
    borders: { top: border, bottom: border, left: border, right: border },
  });

function table(headers: string[], rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }),
      ...(rows.length ? rows : [headers.map((_, i) => (i === 0 ? '（无）' : '0'))]).map((r) => new TableRow({ children: r.map((c, i) => cell(c, false, i === 0 ? AlignmentType.LEFT : AlignmentType.CENTER)) })),
    ],
  });
}

const countTable = (first: string, rows: ReportCountRow[]) => table([first, '件数'], rows.map((r) => [r.label, String(r.count)]));
const moneyTable = (first: string, rows: ReportMoneyRow[]) => table([first, '金额（元）', '涉及案件（件）'], rows.map((r) => [r.label, fenToYuan(r.totalFen), String(r.caseCount)]));
const gap = () => new Paragraph({ children: [] });

/** The report as a Word document (Buffer). The figures are the only input: what is issued is what prints. */
export async function renderPeriodicReportDocx(f: PeriodicReportFigures, meta: ReportDocumentMeta): Promise<Buffer> {
  const p = f.period;
  const t = f.transfers;
  const children = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200, line: 700, lineRule: 'exact' }, children: [run(meta.title, FONT_TITLE, SIZE_2)] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 300 },
      children: [run(`（统计期间：${chineseDate(p.from)}至${chineseDate(p.to)}，数据截至${chineseDate(p.asOf)}）`, FONT_H2, SIZE_3)],
    }),
    body(
      `${chineseDate(p.from)}至${chineseDate(p.to)}，协调小组各成员单位共受理问题线索${f.leads.total}件（其中重要线索${f.leads.important}件），` +
        `移送线索${t.total}件，处置线索${f.dispositions.total}件，立案${f.cases.filed}件、结案${f.cases.closed}件，` +
        `作出处分${f.sanctions.total}人次，移送司法机关${f.judicialTransfers.total}件，挽回经济损失${fenToYuan(f.recoveries.totalFen)}元（${fenToWanYuan(f.recoveries.totalFen)}万元）。` +
        (f.cumulative.since ? `自${chineseDate(f.cumulative.since)}以来，累计立案${f.cumulative.casesFiled}件，累计挽回经济损失${fenToWanYuan(f.cumulative.recoveredFen)}万元。` : ''),
    ),
    h1('一、问题线索受理情况'),
    body(`本期受理问题线索${f.leads.total}件，其中重要线索${f.leads.important}件。按来源和报送单位分列如下。`),
    h2('（一）按线索来源'),
    countTable('线索来源', f.leads.bySource),
    gap(),
    h2('（二）按报送单位'),
    countTable('报送单位', f.leads.byAgency),
    h1('二、线索移送及办理时限'),
    body(
      `本期移送线索${t.total}件。按时签收${t.acknowledgedInTime}件、超时签收${t.acknowledgedLate}件、逾期未签收${t.acknowledgementOverdue}件、待签收${t.awaitingAcknowledgement}件；` +
        `签收后按时处理（接收、退回或转送）${t.decidedInTime}件、超时处理${t.decidedLate}件、逾期未处理${t.decisionOverdue}件、待处理${t.awaitingDecision}件` +
        `（签收时限${t.clocks.acknowledgeWorkingDays}个工作日，处理时限${t.clocks.decisionWorkingDays}个工作日）。`,
    ),
    countTable('接收单位', t.byReceivingAgency),
    gap(),
    countTable('办理结果', t.byOutcome),
    h1('三、线索处置情况'),
    body(`本期作出处置${f.dispositions.total}件，办结${f.dispositions.concluded}件。`),
    countTable('处置方式', f.dispositions.byMethod),
    h1('四、案件查办情况'),
    body(`本期立案${f.cases.filed}件（其中重大案件${f.cases.major}件、疑难案件${f.cases.difficult}件），结案${f.cases.closed}件；截至${chineseDate(p.asOf)}在办案件${f.cases.openAsOf}件。`),
    countTable('主办单位', f.cases.filedByAgency),
    h1('五、处分及移送司法情况'),
    body(`本期作出处分${f.sanctions.total}人次，移送司法机关${f.judicialTransfers.total}件。`),
    countTable('处分种类', f.sanctions.byLevel),
    gap(),
    countTable('移送机关', f.judicialTransfers.byAgency),
    h1('六、挽回经济损失情况'),
    body(`本期挽回经济损失${fenToYuan(f.recoveries.totalFen)}元（${fenToWanYuan(f.recoveries.totalFen)}万元），涉及案件${f.recoveries.caseCount}件，共${f.recoveries.entryCount}笔。`),
    moneyTable('挽损单位', f.recoveries.byAgency),
    gap(),
    moneyTable('挽损类别', f.recoveries.byCategory),
    h1('七、督办事项办理情况'),
    body(
      `本期新立督办事项${f.supervision.opened}项，办结${f.supervision.completed}项（其中超期办结${f.supervision.completedLate}项）；` +
        `截至${chineseDate(p.asOf)}，在办${f.supervision.openAsOf}项，逾期未办结${f.supervision.overdue}项。`,
    ),
    h1('八、联席会议情况'),
    body(`本期召开联席会议${f.meetings.held}次（例会${f.meetings.regular}次、专题会议${f.meetings.special}次），研究决定事项${f.meetings.decisions}项，通过${f.meetings.decisionsPassed}项。`),
    gap(),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(meta.issuer)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(meta.dateLine)] }),
    ...(meta.note ? [gap(), new Paragraph({ children: [run(meta.note, FONT_BODY, SIZE_4)] })] : []),
  ];
  const doc = new Document({
    creator: meta.issuer,
    title: meta.title,
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM } } },
        footers: {
          default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: SIZE_4 })] })] }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
