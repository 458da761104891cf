// Row shapes of the public API's read endpoints (as documented in /api/docs) and their zh-CN labels.

export interface LeadRow {
  leadId: string;
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
