import { SEED_AGENCIES } from '@coord/domain';

/** zh-CN labels of the closed vocabularies, for report tables and spreadsheets. */
export const SOURCE_LABELS: Readonly<Record<string, string>> = {
  petition: '信访举报',
  'special-inspection': '专项检查',
  'audit-finding': '审计发现',
  'inspection-tour': '巡察',
  'member-report': '成员单位通报',
  'meeting-briefing': '联席会议通报',
  other: '其他',
};

export const METHOD_LABELS: Readonly<Record<string, string>> = {
  'talk-inquiry': '谈话函询',
  'preliminary-verification': '初步核实',
  'hold-pending': '暂存待查',
  close: '予以了结',
};

export const RECOVERY_LABELS: Readonly<Record<string, string>> = { confiscation: '追缴', restitution: '退赔', fine: '罚没' };

export const SANCTION_KIND_LABELS: Readonly<Record<string, string>> = {
  'party-discipline': '党纪处分',
  'government-discipline': '政务处分',
  admonishment: '诫勉谈话',
  'organizational-handling': '组织处理',
};

export const SANCTION_LEVEL_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'party-discipline': { warning: '警告', 'serious-warning': '严重警告', 'removal-from-party-post': '撤销党内职务', probation: '留党察看', expulsion: '开除党籍' },
  'government-discipline': { warning: '警告', demerit: '记过', 'major-demerit': '记大过', demotion: '降级', 'dismissal-from-post': '撤职', expulsion: '开除' },
};

export const TRANSFER_OUTCOME_LABELS: Readonly<Record<string, string>> = { accepted: '接收', returned: '退回', forwarded: '转送', pending: '待处理' };

export const SEED_AGENCY_NAMES: Readonly<Record<string, string>> = Object.fromEntries(SEED_AGENCIES.map((a) => [a.code, a.name]));

/** 1234567 fen → "12,345.67" (yuan, exact: integer arithmetic on the string, never floating point). */
export function fenToYuan(fen: number): string {
  const negative = fen < 0;
  const digits = String(Math.abs(fen)).padStart(3, '0');
  const yuan = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${yuan}.${digits.slice(-2)}`;
}

/** 1,500,000,000 fen (15,000,000.00 元) → "1,500.00" 万元: two decimals of 万元, rounded half up, integer maths. */
export function fenToWanYuan(fen: number): string {
  const negative = fen < 0;
  const abs = Math.abs(fen);
  // 1 万元 = 1,000,000 fen; two decimals = units of 10,000 fen
  const hundredths = Math.floor((abs + 5_000) / 10_000);
  const digits = String(hundredths).padStart(3, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${digits.slice(-2)}`;
}
