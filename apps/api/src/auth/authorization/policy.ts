import type { AccountRole } from '@coord/domain';

/**
 * THE authorization policy: one table of actions × role × agency scope. Every HTTP route names one action
 * (`@Policy('lead.read')`, read by the AuthGuard), every Kafka intake message kind maps to one
 * (INTAKE_ACTIONS), and docs/security-authorization.md is rendered from this table
 * (`renderPolicyMarkdown`). A route without an action is refused at runtime and fails
 * test/authorization-matrix.e2e-spec.ts.
 *
 * Scopes (what part of the county an allowed role reaches):
 *  - `all`         the whole county (office, leadership, auditors on reads);
 *  - `involved`    only what the actor's agency registered, holds, handles or was sent. Reads filter rows
 *                  through the access read models (lead_access, case_access, the supervision assignee) and
 *                  answer 404 for anything else; writes are decided by the domain (holder, receiver,
 *                  lead/co agency, assignee), which refuses with 403;
 *  - `own-agency`  the actor may act only in its own agency's name (the agency field of the body must be
 *                  its own; the decider refuses otherwise) — e.g. registering a lead, stating at a meeting;
 *  - `self`        only the actor's own account or session;
 *  - `none`        refused (403) by the guard before any handler runs.
 *
 * 回避 (recusal) is a second, orthogonal rule applied on top: see recusal.ts. Actions that touch a lead
 * or a case by id declare `resource` so the guard can apply it before the handler runs.
 */
export type Grant = 'all' | 'involved' | 'own-agency' | 'self' | 'none';
export type ActionKind = 'read' | 'write' | 'session';

export interface ActionPolicy {
  kind: ActionKind;
  summary: string;
  grants: Record<AccountRole, Grant>;
  /** the route parameter that names the lead or case the action touches (recusal is checked on it) */
  resource?: { kind: 'lead' | 'case' | 'bulletin'; param: string };
  /**
   * The one declared exception to "leadership and auditors never write": the group leader's 签发 of a
   * bulletin. A spec asserts no other write grants leadership or auditors anything.
   */
  leadershipWrite?: true;
}

const OFFICE_ONLY: Record<AccountRole, Grant> = { office: 'all', agency: 'none', leadership: 'none', auditor: 'none' };
/** county-wide readers that are not agencies (agencies do not get group-wide figures or bulletins) */
const GROUP_READERS: Record<AccountRole, Grant> = { office: 'all', agency: 'none', leadership: 'all', auditor: 'all' };
/** every role reads; an agency only what it is involved in */
const SCOPED_READERS: Record<AccountRole, Grant> = { office: 'all', agency: 'involved', leadership: 'all', auditor: 'all' };
/** every role reads the whole of it (reference data, joint meetings every member attends) */
const ALL_READERS: Record<AccountRole, Grant> = { office: 'all', agency: 'all', leadership: 'all', auditor: 'all' };
/** the office, or the agency the domain names as handling it (holder, receiver, lead/co agency, assignee) */
const HANDLERS: Record<AccountRole, Grant> = { office: 'all', agency: 'involved', leadership: 'none', auditor: 'none' };
/** the office, or an agency acting in its own name */
const OWN_AGENCY: Record<AccountRole, Grant> = { office: 'all', agency: 'own-agency', leadership: 'none', auditor: 'none' };
const SELF: Record<AccountRole, Grant> = { office: 'self', agency: 'self', leadership: 'self', auditor: 'self' };

const lead = (param = 'id') => ({ kind: 'lead' as const, param });
const kase = (param = 'id') => ({ kind: 'case' as const, param });
const bulletin = (param = 'id') => ({ kind: 'bulletin' as const, param });

export const POLICY = {
  // reference data
  'agency.list': { kind: 'read', summary: '成员单位名录', grants: ALL_READERS },
  'calendar.read': { kind: 'read', summary: '工作日历', grants: ALL_READERS },
  'calendar.write': { kind: 'write', summary: '设定节假日、调休', grants: OFFICE_ONLY },

  // accounts and sessions
  'user.manage': { kind: 'write', summary: '用户管理（创建、停用、重置）', grants: OFFICE_ONLY },
  'user.read': { kind: 'read', summary: '用户列表', grants: OFFICE_ONLY },
  'account.self': { kind: 'session', summary: '本人账户（修改密码、双因素、退出）', grants: SELF },

  // leads 问题线索
  'lead.register': { kind: 'write', summary: '登记线索', grants: OWN_AGENCY },
  'lead.list': { kind: 'read', summary: '线索台账', grants: SCOPED_READERS },
  'lead.read': { kind: 'read', summary: '线索详情', grants: SCOPED_READERS, resource: lead() },
  'lead.history': { kind: 'read', summary: '线索全程记录', grants: SCOPED_READERS, resource: lead() },
  'lead.transfer': { kind: 'write', summary: '移送、转送（持有单位）', grants: HANDLERS, resource: lead() },
  'lead.transfer.receive': { kind: 'write', summary: '签收、接收、退回（接收单位）', grants: HANDLERS, resource: lead() },
  'lead.dispose': { kind: 'write', summary: '处置、处置办结（持有单位）', grants: HANDLERS, resource: lead() },
  'lead.informant.read': { kind: 'read', summary: '查阅举报人信息（须专门授权）', grants: OFFICE_ONLY, resource: lead() },
  'lead.informant.manage': { kind: 'write', summary: '举报人信息授权、销毁', grants: OFFICE_ONLY, resource: lead() },

  // cases 案件
  'case.file': { kind: 'write', summary: '立案（主办单位）', grants: HANDLERS },
  'case.list': { kind: 'read', summary: '案件台账', grants: SCOPED_READERS },
  'case.read': { kind: 'read', summary: '案件详情', grants: SCOPED_READERS, resource: kase() },
  'case.history': { kind: 'read', summary: '案件全程记录', grants: SCOPED_READERS, resource: kase() },
  'case.progress.report': { kind: 'write', summary: '案情报告', grants: HANDLERS, resource: kase() },
  'case.recovery.record': { kind: 'write', summary: '挽回经济损失', grants: HANDLERS, resource: kase() },
  'case.recovery.correct': { kind: 'write', summary: '更正挽损金额', grants: OFFICE_ONLY, resource: kase() },
  'case.sanction': { kind: 'write', summary: '处分', grants: HANDLERS, resource: kase() },
  'case.judicial-transfer': { kind: 'write', summary: '移送司法、判决结果', grants: HANDLERS, resource: kase() },
  'case.flags': { kind: 'write', summary: '标注重大、疑难', grants: OFFICE_ONLY, resource: kase() },
  'case.close': { kind: 'write', summary: '结案', grants: HANDLERS, resource: kase() },
  'case.bulletin-source.list': { kind: 'read', summary: '《案情专报》素材列表', grants: GROUP_READERS },
  'case.bulletin-source.read': { kind: 'read', summary: '单个案件的专报素材', grants: GROUP_READERS, resource: kase() },

  // bulletins 《案情专报》
  'bulletin.draft': { kind: 'write', summary: '拟写专报', grants: OFFICE_ONLY, resource: kase('caseId') },
  'bulletin.write': { kind: 'write', summary: '修改、印发、更正专报', grants: OFFICE_ONLY, resource: bulletin() },
  'bulletin.approve': {
    kind: 'write',
    summary: '签发专报（组长）',
    grants: { office: 'none', agency: 'none', leadership: 'all', auditor: 'none' },
    resource: bulletin(),
    leadershipWrite: true,
  },
  'bulletin.list': { kind: 'read', summary: '专报登记簿', grants: GROUP_READERS },
  'bulletin.read': { kind: 'read', summary: '专报正文、下载、全程记录', grants: GROUP_READERS, resource: bulletin() },

  // supervision 督办
  'supervision.open': { kind: 'write', summary: '督办立项、交办', grants: OFFICE_ONLY },
  'supervision.list': { kind: 'read', summary: '督办台账', grants: SCOPED_READERS },
  'supervision.read': { kind: 'read', summary: '督办详情、全程记录', grants: SCOPED_READERS },
  'supervision.handle': { kind: 'write', summary: '过程记录、申请延期、报送结果（承办单位）', grants: HANDLERS },
  'supervision.decide': { kind: 'write', summary: '批准或驳回延期、审结', grants: OFFICE_ONLY },

  // joint meetings 联席会议 — every member agency attends, so the register is shared with all of them
  'meeting.read': { kind: 'read', summary: '联席会议登记簿、详情、全程记录', grants: ALL_READERS },
  'meeting.manage': { kind: 'write', summary: '安排、召开、提出决定、形成决定、纪要、结束', grants: OFFICE_ONLY },
  'meeting.participate': { kind: 'write', summary: '提交议题、通报线索、表态（以本单位名义）', grants: OWN_AGENCY },

  // ledgers 台账
  'ledger.read-as-of': { kind: 'read', summary: '台账截至某日（时间回溯）', grants: SCOPED_READERS },
  'ledger.export': { kind: 'read', summary: '导出台账（Excel）', grants: SCOPED_READERS },
  'ledger.import': { kind: 'write', summary: '导入历史台账', grants: OFFICE_ONLY },

  // reports 统计
  'report.recovered-losses': { kind: 'read', summary: '挽损统计（全县）', grants: GROUP_READERS },
  'report.overdue': { kind: 'read', summary: '逾期事项', grants: SCOPED_READERS },
  'report.periodic.read': { kind: 'read', summary: '定期报告（实时、已印发、下载）', grants: GROUP_READERS },
  'report.periodic.issue': { kind: 'write', summary: '印发定期报告', grants: OFFICE_ONLY },
  'notification.list': { kind: 'read', summary: '催办通知（单位仅本单位；领导仅升级督办）', grants: SCOPED_READERS },

  // integrity and oversight
  'integrity.verify': { kind: 'read', summary: '校验历史完整性', grants: GROUP_READERS },
  'access-audit.read': { kind: 'read', summary: '访问审计记录', grants: { office: 'none', agency: 'none', leadership: 'none', auditor: 'all' } },
} as const satisfies Record<string, ActionPolicy>;

export type Action = keyof typeof POLICY;
export const ACTIONS = Object.keys(POLICY) as Action[];

export const policyOf = (action: Action): ActionPolicy => POLICY[action];

/** Is this role granted the action at all (any scope but `none`)? The guard's first question. */
export const allows = (role: AccountRole | 'system', action: Action): boolean => role !== 'system' && POLICY[action].grants[role] !== 'none';

/** Kafka intake: each message kind is an agency acting through its own system, decided by the same table. */
export const INTAKE_ACTIONS = {
  lead: 'lead.register',
  'progress-report': 'case.progress.report',
} as const satisfies Record<string, Action>;

const ROLE_ORDER: AccountRole[] = ['office', 'agency', 'leadership', 'auditor'];
const GRANT_LABEL: Record<Grant, string> = { all: 'all', involved: 'involved', 'own-agency': 'own agency', self: 'self', none: '—' };

/** The table as Markdown (docs/security-authorization.md embeds it; a spec keeps the doc in step). */
export function renderPolicyMarkdown(): string {
  const lines = [`| action | kind | ${ROLE_ORDER.join(' | ')} | summary |`, `|---|---|${ROLE_ORDER.map(() => '---|').join('')}---|`];
  for (const action of ACTIONS) {
    const p: ActionPolicy = POLICY[action];
    const resource = p.resource ? ` (回避 on \`:${p.resource.param}\`)` : '';
    lines.push(`| \`${action}\` | ${p.kind} | ${ROLE_ORDER.map((r) => GRANT_LABEL[p.grants[r]]).join(' | ')} | ${p.summary}${resource} |`);
  }
  return lines.join('\n');
}
