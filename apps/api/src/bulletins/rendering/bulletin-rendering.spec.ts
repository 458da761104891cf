import JSZip from 'jszip';
import type { BulletinState } from '@coord/domain';
import { bulletinDocumentOf, bulletinFileName, contentDisposition } from './bulletin-document';
import { renderBulletinDocx } from './bulletin-docx.renderer';
import { renderBulletinHtml } from './bulletin-html.renderer';

const issued: BulletinState = {
  status: 'issued',
  bulletinId: 'B1',
  caseId: 'C1',
  caseNo: 'AJ-2026-0001',
  revision: 2,
  draftedOn: '2026-03-16',
  drafter: { userId: 'u', username: 'office', name: 'office' },
  content: {
    title: '关于王某某受贿案有关情况的专报',
    sections: {
      subject: '王某某，县住建局局长。',
      source: '审计发现。',
      allegations: '反映王某某收受好处费<script>。',
      disposition: '初步核实。\n立案。',
      facts: '',
      measures: '暂无。',
      sanctions: '暂无。',
      recovered: '截至目前，共挽回经济损失1,280,000.50元（128.00005万元）。',
      nextSteps: '继续查办。',
    },
  },
  approval: { revision: 2, approver: { userId: 'l', username: 'leader', name: '张书记' }, approvedOn: '2026-03-17' },
  issue: { year: 2026, seq: 3, issueNo: '〔2026〕第3期', issuedOn: '2026-03-18', issuer: 'XX县反腐败协调小组', distribution: { mainTo: ['县委'], copyTo: ['县人大常委会', '县政府'] }, revision: 2 },
};

const documentXml = async (buffer: Buffer): Promise<string> => {
  const zip = await JSZip.loadAsync(buffer);
  return (await zip.file('word/document.xml')?.async('string')) ?? '';
};

describe('bulletin documents (公文格式)', () => {
  const doc = bulletinDocumentOf(issued as Exclude<BulletinState, { status: 'none' }>);

  it('numbers the sections 一、二、… and splits paragraphs', () => {
    expect(doc.sections.map((s) => s.heading)).toEqual(['一、基本情况', '二、线索来源', '三、反映的主要问题', '四、处置及审批情况', '五、查明的事实', '六、采取的措施', '七、处理处分情况', '八、挽回经济损失', '九、下一步工作']);
    expect(doc.sections[3].paragraphs).toEqual(['初步核实。', '立案。']);
    expect(doc).toMatchObject({ issueNo: '〔2026〕第3期', signer: '张书记', date: '2026年3月18日', issuer: 'XX县反腐败协调小组' });
  });

  it('the DOCX opens with a zip reader and carries the red header, number, signer, title, body fonts and distribution', async () => {
    const buffer = await renderBulletinDocx(doc);
    expect(buffer.subarray(0, 2).toString()).toBe('PK');
    const xml = await documentXml(buffer);
    for (const text of ['XX县反腐败协调小组', '案情专报', '〔2026〕第3期', '签发人：', '张书记', '关于王某某受贿案有关情况的专报', '一、基本情况', '1,280,000.50元（128.00005万元）', '主送：县委。', '抄送：县人大常委会，县政府。', '2026年3月18日印发']) {
      expect(xml).toContain(text);
    }
    expect(xml).toContain('w:color w:val="FF0000"');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toMatch(/<w:jc w:val="center"\/>/);
    // A4 with the 公文 margins (twips)
    expect(xml).toMatch(/<w:pgSz w:w="11907" w:h="16840"/);
    expect(xml).toMatch(/w:top="2098"/);
  });

  it('the HTML is one printable A4 page with the text escaped', () => {
    const html = renderBulletinHtml(doc);
    expect(html).toContain('@page { size: A4; margin: 37mm 26mm 35mm 28mm; }');
    expect(html).toContain('@media print');
    expect(html).toContain('〔2026〕第3期');
    expect(html).toContain('签发人：<span class="signer-name">张书记</span>');
    expect(html).toContain('收受好处费&lt;script&gt;。');
    expect(html).not.toContain('<script>');
    expect(html).toContain('主送：县委。');
    expect(html).not.toContain('草稿第');
  });

  it('a draft prints without a number and says it is a draft', async () => {
    const { issue: _i, approval: _a, ...rest } = issued as Exclude<BulletinState, { status: 'none' }>;
    const draft = bulletinDocumentOf({ ...rest, status: 'draft' });
    expect(draft).toMatchObject({ issueNo: null, signer: null, date: '2026年3月16日' });
    expect(await documentXml(await renderBulletinDocx(draft))).toContain('（草稿）');
    expect(renderBulletinHtml(draft)).toContain('草稿第2稿');
  });

  it('file names are UTF-8 in Content-Disposition with an ASCII fallback', () => {
    expect(bulletinFileName(doc, 'docx')).toBe('案情专报〔2026〕第3期.docx');
    const header = contentDisposition(bulletinFileName(doc, 'docx'));
    expect(header).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(decodeURIComponent(header.split("UTF-8''")[1])).toBe('案情专报〔2026〕第3期.docx');
  });
});
