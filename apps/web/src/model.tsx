// Row shapes of the public API's read endpoints (as documented in /api/docs) and their zh-CN labels.

export interface LeadRow {
  leadId: string;
  /** the registration's event position: the ledger's order, and its keyset (GET /api/leads?before=) */
  registeredPosition: number;
  ledgerNo: string;
  year: number;
  source: string;
  reportingAgency: string;
  holderAgency: string;
  status: string;
  subjectName: string;
  subjectPost: string;
  subjectUnit: string;
  subjectRank: string | null;
  allegation: string;
  category: string | null;
  receivedOn: string;
  important: boolean;
  hasInformant: boolean;
  pendingTransferId: string | null;
  pendingFromAgency: string | null;
  pendingToAgency: string | null;
  pendingAcknowledged: boolean | null;
  transferCount: number;
  dispositionMethod: string | null;
  dispositionDecidedOn: string | null;
  dispositionConcludedOn: string | null;
  caseId: string | null;
  caseNo: string | null;
  version: number;
}

export interface CaseRow {
  caseId: string;
  caseNo: string;
  year: number;
  title: string;
  leadAgency: string;
  coAgencies: string[];
  leadIds: string[];
  subjectNames: string[];
  major: boolean;
  difficult: boolean;
  status: string;
  filedOn: string;
  closedOn: string | null;
  lastProgressOn: string | null;
  lastStage: string | null;
  recoveredFen: number;
  judicialTransferOn: string | null;
  sanctionCount: number;
  version: number;
}

export interface SupervisionRow {
  itemId: string;
  itemNo: string;
  title: string;
  origin: string;
  assigneeAgency: string;
  dueOn: string;
  status: string;
  pendingExtensionRequestId: string | null;
  pendingExtensionDueOn: string | null;
  extensionCount: number;
  lastProgressOn: string | null;
  resultSummary: string | null;
  resultReportedOn: string | null;
  sentBackCount: number;
  caseId: string | null;
  leadId: string | null;
  openedOn: string;
  closedOn: string | null;
  version: number;
}

export interface OverdueItem {
  kind: string;
  ref: string;
  refId: string;
  agency: string;
  title: string;
  dueOn: string;
  daysOverdue: number;
}

/** GET /api/follow-ups/overdue: one page, most overdue first, with the counts of all overdue items */
export interface OverdueList {
  asOf: string;
  total: number;
  limit: number;
  offset: number;
  byKind: Record<string, number>;
  byAgency: Record<string, number>;
  items: OverdueItem[];
}

export interface HistoryEntry {
  version: number;
  position: number;
  type: string;
  label: string;
  occurredAt: string;
  recordedAt: string;
  actor: { username: string; role: string; agency?: string };
  data: Record<string, unknown>;
}

export interface History {
  streamId: string;
  version: number;
  events: HistoryEntry[];
}

export interface Agency {
  agency: string;
  name: string;
  groupRole: string;
}

export interface RecoveredLosses {
  totalFen: number;
  caseCount: number;
  rows: { key: string; label: string; totalFen: number; caseCount: number }[];
}

export const LEAD_SOURCES: Record<string, string> = {
  petition: '信访举报',
  'special-inspection': '专项检查',
  'audit-finding': '审计发现',
  'inspection-tour': '巡察发现',
  'member-report': '成员单位报送',
  'meeting-briefing': '联席会议通报',
  other: '其他',
};

export const LEAD_STATUSES: Record<string, string> = {
  registered: '已登记',
  'in-transfer': '移送中',
  disposed: '已处置',
  closed: '已了结',
  converted: '已立案',
};

export const DISPOSITION_METHODS: Record<string, string> = {
  'talk-inquiry': '谈话函询',
  'preliminary-verification': '初步核实',
  'hold-pending': '暂存待查',
  close: '予以了结',
};

export const CASE_STATUSES: Record<string, string> = {
  open: '在办',
  'transferred-to-judiciary': '已移送司法',
  closed: '已结案',
};

export const CASE_STAGES: Record<string, string> = {
  verification: '初核',
  investigation: '审查调查',
  review: '审理',
  judicial: '司法程序',
};

export const RECOVERY_CATEGORIES: Record<string, string> = {
  confiscation: '追缴',
  restitution: '退赔',
  fine: '罚没',
};

export const SANCTION_KINDS: Record<string, string> = {
  'party-discipline': '党纪处分',
  'government-discipline': '政务处分',
  admonishment: '诫勉',
  'organizational-handling': '组织处理',
};

export const SUPERVISION_STATUSES: Record<string, string> = {
  'in-progress': '办理中',
  'extension-requested': '申请延期',
  'awaiting-review': '待审结',
  closed: '已销号',
};

export const SUPERVISION_ORIGINS: Record<string, string> = {
  'meeting-decision': '联席会议决定',
  'leader-instruction': '领导批示',
  office: '协调办交办',
};

export const OVERDUE_KINDS: Record<string, string> = {
  'supervision-item': '督办事项',
  'transfer-acknowledgement': '移送待签收',
  'transfer-decision': '移送待接收',
  'lead-disposition': '线索待处置',
  'disposition-conclusion': '处置待办结',
  'case-progress': '重大案件待报告',
  'regular-meeting': '例会未召开',
};

export const ROLES: Record<string, string> = {
  office: '协调小组办公室',
  agency: '成员单位',
  leadership: '领导',
  auditor: '审计监督',
};

/** Field names in a history event's data, for a person reading the timeline. */
export const FIELD_LABELS: Record<string, string> = {
  ledgerNo: '台账编号',
  caseNo: '案件编号',
  itemNo: '督办编号',
  source: '线索来源',
  reportingAgency: '报送单位',
  subject: '被反映人',
  subjects: '被反映人',
  allegation: '反映问题',
  category: '类别',
  receivedOn: '受理日期',
  important: '重要线索',
  hasInformant: '有举报人',
  toAgency: '移送至',
  fromAgency: '移送单位',
  letterNo: '移送函文号',
  reason: '理由',
  method: '处置方式',
  rationale: '处置理由',
  conclusion: '处置结论',
  title: '标题',
  leadAgency: '主办单位',
  coAgencies: '协办单位',
  filedOn: '立案日期',
  major: '重大案件',
  difficult: '疑难案件',
  stage: '阶段',
  summary: '摘要',
  reportedOn: '报告日期',
  amountFen: '金额',
  correctedAmountFen: '更正后金额',
  deltaFen: '调整金额',
  agency: '单位',
  recoveredOn: '追缴日期',
  note: '备注',
  personName: '受处分人',
  kind: '类别',
  level: '级别',
  measure: '措施',
  decidedOn: '决定日期',
  transferredOn: '移送日期',
  result: '结果',
  closedOn: '结案日期',
  assigneeAgency: '承办单位',
  dueOn: '办结时限',
  newDueOn: '申请时限',
  origin: '督办来源',
  comment: '意见',
  outcome: '审结意见',
  openedOn: '交办日期',
};

/** Keys of event data that are identifiers, not something a person reads. */
export const HIDDEN_FIELDS = new Set(['leadId', 'caseId', 'itemId', 'transferId', 'recoveryId', 'reportId', 'requestId', 'leadIds', 'leads', 'meetingId', 'decisionId', 'bulletinId']);

export function yuan(fen: number): string {
  return `${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;
}

export function label(map: Record<string, string>, key: string | null | undefined): string {
  if (key === null || key === undefined) return '—';
  return map[key] ?? key;
}

/** Today in Asia/Shanghai as YYYY-MM-DD (the business dates of the API). */
export function shanghaiToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The board's highlight rule: an open item is overdue on `asOf` when its due date is before that day. */
export function isOverdue(item: Pick<SupervisionRow, 'status' | 'dueOn'>, asOf: string): boolean {
  return item.status !== 'closed' && item.dueOn < asOf;
}

export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(new Date(iso));
}

// ── meetings (联席会议) and 《案情专报》: the rows of GET /api/meetings and /api/bulletins ──

export interface MeetingDecision {
  decisionId: string;
  title: string;
  topicId: string | null;
  proposedOn: string;
  actionItems: { actionId: string; title: string; assigneeAgency: string; dueOn: string; supervisionItemId: string | null }[];
  statements: { agency: string; position: string; reason: string; isPrincipalLeader: boolean }[];
  passed: boolean | null;
  counts: { agree: number; disagree: number; defer: number; present: number; shouldAttend: number } | null;
  takenOn: string | null;
}

export interface MeetingRow {
  meetingId: string;
  kind: string;
  title: string;
  halfYear: string | null;
  scheduledOn: string;
  topicCutoffOn: string;
  status: string;
  heldOn: string | null;
  attendees: string[];
  expectedMembers: string[];
  principalLeader: string | null;
  topics: { topicId: string; agency: string; title: string; summary: string; submittedOn: string; late: boolean; justification: string | null }[];
  lateTopicCount: number;
  briefedLeads: { leadId: string; agency: string }[];
  decisions: MeetingDecision[];
  passedDecisionCount: number;
  minutes: string | null;
  minutesRecordedOn: string | null;
  closedOn: string | null;
}

export const MEETING_KINDS: Record<string, string> = { regular: '例会', special: '专题会议' };

export const MEETING_STATUSES: Record<string, string> = {
  scheduled: '已安排',
  'in-session': '会议中',
  minuted: '已形成纪要',
  closed: '已结束',
};

export const STATEMENT_POSITIONS: Record<string, string> = { agree: '同意', disagree: '不同意', defer: '缓议' };

export interface BulletinRow {
  bulletinId: string;
  caseId: string;
  caseNo: string;
  title: string;
  status: string;
  revision: number;
  draftedOn: string;
  approvedOn: string | null;
  year: number | null;
  seq: number | null;
  issueNo: string | null;
  issuedOn: string | null;
  distribution: { mainTo: string[]; copyTo: string[] } | null;
  correctsBulletinId: string | null;
  correctsIssueNo: string | null;
  correctedBy: string[];
}

export interface BulletinPerson {
  username: string;
  name: string;
}

export interface BulletinDetail {
  id: string;
  caseId: string;
  caseNo: string;
  status: string;
  revision: number;
  content: { title: string; sections: Record<string, string> };
  drafter: BulletinPerson;
  draftedOn: string;
  corrects: { bulletinId: string; issueNo: string; reason: string } | null;
  approval: { revision: number; approver: BulletinPerson; approvedOn: string; opinion?: string } | null;
  issue: { year: number; seq: number; issueNo: string; issuedOn: string; issuer: string; distribution: { mainTo: string[]; copyTo?: string[] }; revision: number } | null;
  correctedBy: string[];
  version: number;
}

export const BULLETIN_STATUSES: Record<string, string> = { draft: '草稿', approved: '已签发', issued: '已印发' };

/** The nine sections of a 《案情专报》 in print order (the API's section keys). */
export const BULLETIN_SECTIONS: [string, string][] = [
  ['subject', '一、基本情况'],
  ['source', '二、线索来源'],
  ['allegations', '三、反映的主要问题'],
  ['disposition', '四、处置及审批情况'],
  ['facts', '五、查明的事实'],
  ['measures', '六、采取的措施'],
  ['sanctions', '七、处理处分情况'],
  ['recovered', '八、挽回经济损失'],
  ['nextSteps', '九、下一步工作'],
];

Object.assign(FIELD_LABELS, {
  kind: '类别',
  scheduledOn: '会议日期',
  topicCutoffOn: '议题截止',
  halfYear: '半年度',
  heldOn: '召开日期',
  attendees: '出席',
  expectedMembers: '应到',
  principalLeader: '主要领导',
  justification: '临时动议理由',
  late: '临时动议',
  submittedOn: '提交日期',
  position: '表态',
  isPrincipalLeader: '主要领导表态',
  passed: '通过',
  counts: '表决情况',
  agree: '同意',
  disagree: '不同意',
  defer: '缓议',
  present: '出席',
  shouldAttend: '应到',
  actionItems: '任务',
  minutes: '会议纪要',
  proposedOn: '提出日期',
  takenOn: '决定日期',
  revision: '稿次',
  content: '正文',
  sections: '各部分',
  draftedOn: '拟稿日期',
  revisedOn: '修改日期',
  approvalLapsed: '原签发失效',
  approvedOn: '签发日期',
  approver: '签发人',
  drafter: '拟稿人',
  opinion: '签发意见',
  issueNo: '期号',
  issuedOn: '印发日期',
  issuer: '印发单位',
  distribution: '分送',
  mainTo: '主送',
  copyTo: '抄送',
  year: '年度',
  seq: '序号',
  name: '姓名',
  username: '账号',
});
for (const k of ['topicId', 'actionId', 'userId', 'correctsBulletinId', 'sourceVersion']) HIDDEN_FIELDS.add(k);

/** getAll's keyset for the lead ledger: the page after a row is the leads registered before it */
export const leadsAfter = (last: LeadRow) => ({ before: last.registeredPosition });
