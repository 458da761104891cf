import { SEED_AGENCIES } from '../shared/agency';
import { type BulletinCaseSource, draftBulletinContent } from './bulletin-draft';
import { formatAmount, formatChineseDate, formatWanYuan, formatYuan } from './bulletin-money';

const agencyName = (code: string) => SEED_AGENCIES.find((a) => a.code === code)?.name ?? code;

const wang = { name: '王某某', post: '局长', unit: '县住建局', rank: '正科级' };
const source: BulletinCaseSource = {
  caseId: 'C1',
  caseNo: 'AJ-2026-0001',
  title: '王某某受贿案',
  leadAgency: 'public-security',
  coAgencies: ['audit-bureau'],
  major: true,
  difficult: false,
  status: 'open',
  filedOn: '2026-03-10',
  closedOn: null,
  closingSummary: null,
  subjects: [wang],
  leads: [
    {
      ledgerNo: 'LC-2026-0001',
      source: 'audit-finding',
      allegation: '在工程招投标中收受好处费',
      subject: wang,
      receivedOn: '2026-03-01',
      disposition: { method: 'preliminary-verification', rationale: '线索具体，具有可查性', decidedOn: '2026-03-05' },
    },
  ],
  progress: [
    { stage: 'investigation', summary: '已查明收受好处费30万元', agency: 'public-security', reportedOn: '2026-03-12' },
    { stage: 'judicial', summary: '已移送检察机关审查起诉', agency: 'public-security', reportedOn: '2026-03-14' },
  ],
  sanctions: [{ personName: '王某某', kind: 'party-discipline', level: 'expulsion', measure: null, decidedOn: '2026-03-13', agency: 'discipline-commission' }],
  judicialTransfer: { toAgency: 'procuratorate', summary: '涉嫌受贿罪', transferredOn: '2026-03-14' },
  courtResult: null,
  recoveredFen: 128_000_050,
  recoveredByCategory: { confiscation: 120_000_000, restitution: 8_000_050 },
};

describe('draftBulletinContent (draft from the case history)', () => {
  const { title, sections } = draftBulletinContent(source, { agencyName });

  it('titles the bulletin after the case', () => {
    expect(title).toBe('关于王某某受贿案有关情况的专报');
  });

  it('given the case facts, then each section says its part', () => {
    expect(sections.subject).toBe('王某某，县住建局局长（正科级）。');
    expect(sections.source).toBe('2026年3月1日受理，来源为审计发现（线索编号LC-2026-0001）。');
    expect(sections.allegations).toBe('反映王某某在工程招投标中收受好处费。');
    expect(sections.disposition).toBe(
      '线索LC-2026-0001于2026年3月5日经研究决定采取“初步核实”方式处置，理由：线索具体，具有可查性。\n2026年3月10日经批准立案（案件编号AJ-2026-0001），由县公安局主办，县审计局协办，列为重大案件。',
    );
    expect(sections.facts).toBe('2026年3月12日，县公安局报告（审查调查阶段）：已查明收受好处费30万元。');
    expect(sections.measures).toBe('2026年3月14日，县公安局报告（移送司法阶段）：已移送检察机关审查起诉。\n2026年3月14日移送县人民检察院：涉嫌受贿罪。');
    expect(sections.sanctions).toBe('2026年3月13日，县纪委给予王某某党纪处分（开除党籍）。');
    expect(sections.nextSteps).toContain('县公安局将继续加大查办力度');
  });

  it('the amount recovered is exact, in 元 and 万元, with its categories', () => {
    expect(sections.recovered).toBe('截至目前，共挽回经济损失1,280,000.50元（128.00005万元），其中追缴1,200,000.00元（120万元），退赔80,000.50元（8.00005万元）。');
  });

  it('a case with nothing yet says so rather than leaving a section blank', () => {
    const bare = draftBulletinContent({ ...source, progress: [], sanctions: [], judicialTransfer: null, recoveredFen: 0, recoveredByCategory: {} }, { agencyName });
    expect(bare.sections.facts).toBe('暂无。');
    expect(bare.sections.sanctions).toBe('暂无。');
    expect(bare.sections.recovered).toBe('截至目前，尚未挽回经济损失。');
  });

  it('a closed case proposes next steps after closing', () => {
    const closed = draftBulletinContent({ ...source, status: 'closed', closedOn: '2026-03-15', closingSummary: '已结案。' }, { agencyName });
    expect(closed.sections.nextSteps).toBe('本案已于2026年3月15日结案（已结案）。下一步将做好案件剖析和以案促改工作。');
  });

  it('NEVER the informant: even a source object that carried one does not print it', () => {
    const leaky = { ...source, informant: { name: '举报人李某某', contact: '13912345678' }, leads: source.leads.map((l) => ({ ...l, informant: { name: '举报人李某某' } })) };
    const text = JSON.stringify(draftBulletinContent(leaky as BulletinCaseSource, { agencyName }));
    expect(text).not.toContain('李某某');
    expect(text).not.toContain('13912345678');
  });
});

describe('bulletin money and dates (exact, from integer fen)', () => {
  it('prints 元 with two decimals and thousands separators', () => {
    expect(formatYuan(0)).toBe('0.00元');
    expect(formatYuan(5)).toBe('0.05元');
    expect(formatYuan(128_000_050)).toBe('1,280,000.50元');
    expect(formatYuan(-1_050)).toBe('-10.50元');
  });

  it('prints 万元 exactly (six decimals at most, trailing zeros dropped)', () => {
    expect(formatWanYuan(1_500_000_000)).toBe('1,500万元');
    expect(formatWanYuan(128_000_050)).toBe('128.00005万元');
    expect(formatWanYuan(1)).toBe('0.000001万元');
    expect(formatAmount(1_234_567_891)).toBe('12,345,678.91元（1,234.567891万元）');
  });

  it('refuses a fractional fen rather than rounding', () => {
    expect(() => formatYuan(1.5)).toThrow(RangeError);
  });

  it('prints dates the way documents do', () => {
    expect(formatChineseDate('2026-03-05')).toBe('2026年3月5日');
  });
});
