import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  TabStopType,
  TextRun,
  type IParagraphOptions,
} from 'docx';
import type { BulletinDocument } from './bulletin-document';

/*
 * 公文格式 after GB/T 9704-2012 (党政机关公文格式), as far as a generated file can honour it:
 *  - A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm (text block 156 × 225 mm);
 *  - 版头: the issuing body and 《案情专报》 in red 小标宋, the issue number, 签发人 on the right, and a red
 *    separator line;
 *  - title 2号 (22 pt) 小标宋 centred; body 3号 (16 pt) 仿宋_GB2312, first-line indent of two characters,
 *    fixed line spacing of 28.95 pt (22 lines a page); level-1 headings 黑体;
 *  - the issuer and date after the body; 版记 at the end: 主送 / 抄送 between rules, 4号 (14 pt) 仿宋;
 *  - page numbers 「— 1 —」 4号 宋体 at the foot.
 * Font NAMES are what a document carries: a reader without 仿宋_GB2312 substitutes (LibreOffice: a CJK
 * serif). Word-level details (exact character grid, odd/even page number placement) are not attempted.
 */
const MM = 56.7; // twips per millimetre
const RED = 'FF0000';
const FANGSONG = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312', cs: 'Times New Roman' };
const XIAOBIAOSONG = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体', cs: 'Times New Roman' };
const HEITI = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体', cs: 'Times New Roman' };
const SONGTI = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体', cs: 'Times New Roman' };
const PT = (points: number) => points * 2; // docx run sizes are half-points
const BODY_SIZE = PT(16); // 3号
const LINE = { line: Math.round(28.95 * 20), lineRule: LineRuleType.EXACT }; // fixed 28.95 pt
const INDENT_2_CHARS = 16 * 2 * 20; // two 3号 characters, in twips
const TEXT_WIDTH = Math.round((210 - 28 - 26) * MM);

const body = (text: string, extra: IParagraphOptions = {}): Paragraph =>
  new Paragraph({ spacing: LINE, indent: { firstLine: INDENT_2_CHARS }, alignment: AlignmentType.JUSTIFIED, ...extra, children: [new TextRun({ text, font: FANGSONG, size: BODY_SIZE })] });

function header(doc: BulletinDocument): Paragraph[] {
  return [
    new Paragraph({ children: [new TextRun({ text: '内部资料　注意保存', font: HEITI, size: BODY_SIZE })] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 240 },
      children: [new TextRun({ text: doc.issuer, font: XIAOBIAOSONG, size: PT(26), color: RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 120, after: 240 },
      children: [new TextRun({ text: '案情专报', font: XIAOBIAOSONG, size: PT(42), color: RED, bold: true })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [new TextRun({ text: doc.issueNo ?? '（草稿）', font: FANGSONG, size: BODY_SIZE })],
    }),
    // 编印单位 on the left, 签发人 on the right, over the red separator line (红色分隔线)
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      spacing: { before: 120, after: 360 },
      border: { bottom: { style: BorderStyle.SINGLE, size: 18, color: RED, space: 4 } },
      children: [
        new TextRun({ text: `${doc.issuer}办公室`, font: FANGSONG, size: BODY_SIZE }),
        new TextRun({ text: '\t', font: FANGSONG, size: BODY_SIZE }),
        new TextRun({ text: '签发人：', font: FANGSONG, size: BODY_SIZE }),
        new TextRun({ text: doc.signer ?? '（待签发）', font: { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '楷体_GB2312' }, size: BODY_SIZE }),
      ],
    }),
  ];
}

function content(doc: BulletinDocument): Paragraph[] {
  const out: Paragraph[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 240, after: 240, line: Math.round(35 * 20), lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text: doc.title, font: XIAOBIAOSONG, size: PT(22) })],
    }),
  ];
  if (doc.correction) out.push(body(`本期系对${doc.correction.issueNo}《案情专报》的更正。更正理由：${doc.correction.reason}`));
  for (const s of doc.sections) {
    out.push(new Paragraph({ spacing: LINE, indent: { firstLine: INDENT_2_CHARS }, children: [new TextRun({ text: s.heading, font: HEITI, size: BODY_SIZE })] }));
    for (const p of s.paragraphs.length ? s.paragraphs : ['无。']) out.push(body(p));
  }
  // the issuer and date, right-aligned four characters in from the margin (署名 and 成文日期)
  out.push(new Paragraph({ spacing: { ...LINE, before: 600 }, alignment: AlignmentType.RIGHT, indent: { right: 16 * 4 * 20 }, children: [new TextRun({ text: doc.issuer, font: FANGSONG, size: BODY_SIZE })] }));
  out.push(new Paragraph({ spacing: LINE, alignment: AlignmentType.RIGHT, indent: { right: 16 * 4 * 20 }, children: [new TextRun({ text: doc.date, font: FANGSONG, size: BODY_SIZE })] }));
  return out;
}

/** 版记: 主送 / 抄送 and the printing line, between black rules (the first and last thicker). */
function colophon(doc: BulletinDocument): Paragraph[] {
  const rule = (size: number) => ({ style: BorderStyle.SINGLE, size, color: '000000', space: 4 });
  const line = (label: string, names: string[], border: IParagraphOptions['border']) =>
    new Paragraph({
      spacing: { before: 60, after: 60 },
      indent: { left: 280, right: 280, hanging: 0 },
      border,
      children: [new TextRun({ text: `${label}：${names.join('，')}。`, font: FANGSONG, size: PT(14) })],
    });
  const out: Paragraph[] = [new Paragraph({ spacing: { before: 480 }, children: [] })];
  out.push(line('主送', doc.distribution.mainTo.length ? doc.distribution.mainTo : ['（印发时确定）'], { top: rule(8) }));
  if (doc.distribution.copyTo.length) out.push(line('抄送', doc.distribution.copyTo, { top: rule(4) }));
  out.push(
    new Paragraph({
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH - 280 }],
      spacing: { before: 60, after: 60 },
      indent: { left: 280 },
      border: { top: rule(4), bottom: rule(8) },
      children: [
        new TextRun({ text: `${doc.issuer}办公室`, font: FANGSONG, size: PT(14) }),
        new TextRun({ text: `\t${doc.date}印发`, font: FANGSONG, size: PT(14) }),
      ],
    }),
  );
  return out;
}

export async function renderBulletinDocx(doc: BulletinDocument): Promise<Buffer> {
  const file = new Document({
    creator: doc.issuer,
    title: doc.title,
    description: doc.issueNo ? `案情专报 ${doc.issueNo}` : `案情专报（草稿第${doc.revision}稿）`,
    styles: { default: { document: { run: { font: FANGSONG, size: BODY_SIZE } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
            margin: { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: SONGTI, size: PT(14) })],
              }),
            ],
          }),
        },
        children: [...header(doc), ...content(doc), ...colophon(doc)],
      },
    ],
  });
  return Packer.toBuffer(file);
}
