import type { BulletinDocument } from './bulletin-document';

const escape = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/*
 * The same layout as the DOCX (see bulletin-docx.renderer.ts) as one self-contained HTML page: A4 with the
 * 公文 margins via @page, red header and separator, 仿宋 body at 16pt with a fixed 28.95pt line and
 * two-character indent, 版记 between rules. No scripts, no external resources: it prints as it is.
 */
const STYLE = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
* { box-sizing: border-box; }
body { margin: 0; background: #eee; color: #000; }
.page { width: 210mm; min-height: 297mm; margin: 10mm auto; padding: 37mm 26mm 35mm 28mm; background: #fff; box-shadow: 0 0 4mm rgba(0,0,0,.2); }
.fs { font-family: "仿宋_GB2312", "FangSong", "STFangsong", "仿宋", serif; font-size: 16pt; }
.secret { font-family: "黑体", "SimHei", "Heiti SC", sans-serif; font-size: 16pt; margin: 0; }
.issuer, .masthead { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "STZhongsong", "SimSun", serif; color: #f00; text-align: center; margin: 0; }
.issuer { font-size: 26pt; margin-top: 6mm; }
.masthead { font-size: 42pt; font-weight: bold; letter-spacing: .2em; margin: 2mm 0 4mm; }
.issue-no { text-align: center; margin: 0; }
.byline { display: flex; justify-content: space-between; border-bottom: 2.25pt solid #f00; padding-bottom: 1.5mm; margin: 2mm 0 8mm; }
.signer-name { font-family: "楷体_GB2312", "KaiTi", "STKaiti", serif; }
h1 { font-family: "方正小标宋简体", "FZXiaoBiaoSong-B05S", "STZhongsong", "SimSun", serif; font-size: 22pt; font-weight: normal; text-align: center; line-height: 35pt; margin: 6mm 0; }
h2 { font-family: "黑体", "SimHei", "Heiti SC", sans-serif; font-size: 16pt; font-weight: normal; margin: 0; text-indent: 2em; line-height: 28.95pt; }
p.body { margin: 0; text-indent: 2em; line-height: 28.95pt; text-align: justify; }
.signature { text-align: right; margin: 15mm 4em 0 0; line-height: 28.95pt; }
.colophon { margin-top: 12mm; font-size: 14pt; border-top: 1pt solid #000; border-bottom: 1pt solid #000; page-break-inside: avoid; }
.colophon p { margin: 0; padding: 1mm 1em; }
.colophon p + p { border-top: .5pt solid #000; }
.printed { display: flex; justify-content: space-between; }
.draft-mark { color: #999; text-align: center; font-size: 12pt; margin: 0 0 4mm; }
@media print {
  body { background: none; }
  .page { margin: 0; padding: 0; width: auto; min-height: 0; box-shadow: none; }
  .no-print { display: none; }
}
`;

export function renderBulletinHtml(doc: BulletinDocument): string {
  const e = escape;
  const sections = doc.sections
    .map((s) => `<h2>${e(s.heading)}</h2>\n${(s.paragraphs.length ? s.paragraphs : ['无。']).map((p) => `<p class="body">${e(p)}</p>`).join('\n')}`)
    .join('\n');
  const copy = doc.distribution.copyTo.length ? `<p>抄送：${e(doc.distribution.copyTo.join('，'))}。</p>` : '';
  const mainTo = doc.distribution.mainTo.length ? doc.distribution.mainTo.join('，') : '（印发时确定）';
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(doc.issueNo ? `案情专报 ${doc.issueNo}` : '案情专报（草稿）')} ${e(doc.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main class="page fs">
${doc.status !== 'issued' ? `<p class="draft-mark no-print">草稿第${doc.revision}稿（未印发，不作正式文件使用）</p>` : ''}
<p class="secret">内部资料\u3000注意保存</p>
<p class="issuer">${e(doc.issuer)}</p>
<p class="masthead">案情专报</p>
<p class="issue-no">${e(doc.issueNo ?? '（草稿）')}</p>
<div class="byline"><span>${e(doc.issuer)}办公室</span><span>签发人：<span class="signer-name">${e(doc.signer ?? '（待签发）')}</span></span></div>
<h1>${e(doc.title)}</h1>
${doc.correction ? `<p class="body">本期系对${e(doc.correction.issueNo)}《案情专报》的更正。更正理由：${e(doc.correction.reason)}</p>` : ''}
${sections}
<p class="signature">${e(doc.issuer)}<br>${e(doc.date)}</p>
<section class="colophon">
<p>主送：${e(mainTo)}。</p>
${copy}
<p class="printed"><span>${e(doc.issuer)}办公室</span><span>${e(doc.date)}印发</span></p>
</section>
</main>
</body>
</html>
`;
}
