/**
 * zh-CN wording of the closed vocabularies, as a 《案情专报》 prints them. Kept with the bulletin because a
 * document's words are part of what was signed; an unknown code prints as itself rather than vanishing.
 */
export const LEAD_SOURCE_LABELS: Readonly<Record<string, string>> = {
  petition: '信访举报',
  'special-inspection': '专项检查',
  'audit-finding': '审计发现',
  'inspection-tour': '巡察',
  'member-report': '成员单位通报',
  'meeting-briefing': '联席会议通报',
  other: '其他',
};

export const DISPOSITION_METHOD_LABELS: Readonly<Record<string, string>> = {
  'talk-inquiry': '谈话函询',
  'preliminary-verification': '初步核实',
  'hold-pending': '暂存待查',
  close: '予以了结',
};

export const PROGRESS_STAGE_LABELS: Readonly<Record<string, string>> = {
  verification: '初核',
  investigation: '审查调查',
  review: '审理',
  judicial: '移送司法',
};

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

export const RECOVERY_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  confiscation: '追缴',
  restitution: '退赔',
  fine: '罚没',
};

export const label = (labels: Readonly<Record<string, string>>, code: string): string => labels[code] ?? code;
