import type { Actor } from '../shared/actor';
import { JUDICIAL_ORGANS, type AgencyCode } from '../shared/agency';
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { actsFor, assertCanWrite, assertOffice, requireDateNotAfterToday, requireOneOf, requireText } from '../shared/guards';
import type { LocalDate } from '../shared/local-date';
import type { CaseCommand } from './case.commands';
import type { Subject } from '../lead/lead.events';
import { PROGRESS_STAGES, RECOVERY_CATEGORIES, SANCTION_KINDS, SANCTION_LEVELS, type CaseEvent, type RecoveryCategory } from './case.events';

export interface Recovery {
  amountFen: number; // current amount after corrections
  category: RecoveryCategory;
  agency: AgencyCode;
  recoveredOn: LocalDate;
}

export interface CaseFacts {
  caseId: string;
  caseNo: string;
  leadAgency: AgencyCode; // 主办
  coAgencies: AgencyCode[]; // 协办
  filedOn: LocalDate;
  /** the earliest receivedOn of the leads it was filed from: no step of the case can predate it */
  firstLeadReceivedOn: LocalDate;
  major: boolean;
  difficult: boolean;
  recoveries: Record<string, Recovery>;
  correctionIds: string[];
  reportIds: string[];
  sanctionIds: string[];
  judicialTransfer?: { toAgency: AgencyCode; transferredOn: LocalDate };
}

export type CaseState =
  | { status: 'none' }
  | (CaseFacts & { status: 'open' }) // 在办
  | (CaseFacts & { status: 'closed' }); // 结案

type ExistingCase = Exclude<CaseState, { status: 'none' }>;

function existing(state: CaseState): ExistingCase {
  if (state.status === 'none') return refuse('case-not-found', '案件不存在', 'not-found');
  return state;
}

/** Agency users outside the case's 主办/协办 agencies have no business writing to it. */
function assertCaseAgency(actor: Actor, c: ExistingCase): void {
  if (!actsFor(actor, c.leadAgency, ...c.coAgencies)) refuse('not-case-agency', '只有主办、协办单位或协调小组办公室可以办理该案件', 'forbidden');
}

function assertLeadAgency(actor: Actor, c: ExistingCase): void {
  if (!actsFor(actor, c.leadAgency)) refuse('not-lead-agency', '只有主办单位或协调小组办公室可以办理此事项', 'forbidden');
}

function assertOpen(c: ExistingCase): void {
  if (c.status === 'closed') refuse('case-closed', '案件已结案，不能再办理此事项');
}

/** The agency a step is booked to: the acting agency, or the 主办 agency when the office records on its behalf. */
const bookedAgency = (actor: Actor, c: ExistingCase): AgencyCode => (actor.role === 'agency' && actor.agency ? actor.agency : c.leadAgency);

const subjectKey = (s: Subject): string => JSON.stringify([s.name.trim(), s.post.trim(), s.unit.trim()]);

/**
 * Upper bounds on money, far above any county's figures (one recovery ≤ 100亿元, one case ≤ 1000亿元), so
 * that every sum a read model keeps stays an exact integer in JavaScript (< 2^53 fen ≈ 900亿元 × 1000):
 * a typing slip of a few extra digits is refused here instead of poisoning totals downstream.
 */
export const MAX_RECOVERY_FEN = 1_000_000_000_000;
export const MAX_CASE_RECOVERED_FEN = 10_000_000_000_000;

function requireWithinCaps(c: ExistingCase, deltaFen: number, field: string, amountFen = deltaFen): void {
  if (amountFen > MAX_RECOVERY_FEN) refuse('amount-too-large', '单笔金额超过上限（100亿元），请核对', 'invalid', field);
  const total = Object.values(c.recoveries).reduce((sum, r) => sum + r.amountFen, 0) + deltaFen;
  if (total > MAX_CASE_RECOVERED_FEN) refuse('case-total-too-large', '案件挽损合计超过上限（1000亿元），请核对', 'invalid', field);
}

function requireNotBeforeFirstLead(c: ExistingCase, date: LocalDate, field: string): void {
  if (date < c.firstLeadReceivedOn) refuse('date-before-first-lead', `日期不能早于线索受理日期（${c.firstLeadReceivedOn}）`, 'invalid', field);
}

export const caseDecider: Decider<CaseCommand, CaseState, CaseEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const { actor, today } = command.ctx;
    assertCanWrite(actor);
    switch (command.type) {
      case 'FileCase': {
        if (state.status !== 'none') refuse('case-already-filed', '案件已立案');
        // 立案 is decided by the office or by the agency that will run the case (主办单位)
        if (!actsFor(actor, command.leadAgency)) refuse('not-lead-agency', '只有主办单位或协调小组办公室可以立案', 'forbidden');
        requireText(command.title, 'title', 'title-required', '案件名称');
        if (!command.leads || command.leads.length === 0) refuse('case-needs-lead', '立案须关联至少一条问题线索', 'invalid', 'leadIds');
        const leadIds = command.leads.map((l) => l.leadId);
        if (new Set(leadIds).size !== leadIds.length) refuse('duplicate-lead', '同一线索不能重复关联', 'invalid', 'leadIds');
        const coAgencies = [...new Set(command.coAgencies)];
        if (coAgencies.includes(command.leadAgency)) refuse('lead-agency-in-co-agencies', '主办单位不能同时是协办单位', 'invalid', 'coAgencies');
        requireDateNotAfterToday(command.filedOn, today, 'filedOn');
        const lastReceived = command.leads.reduce((max, l) => (l.receivedOn > max ? l.receivedOn : max), command.leads[0].receivedOn);
        if (command.filedOn < lastReceived) refuse('filed-before-received', `立案日期不能早于线索受理日期（${lastReceived}）`, 'invalid', 'filedOn');
        // several leads may be about the same person: list each implicated person once (used for 回避)
        const seen = new Set<string>();
        const subjects: Subject[] = [];
        for (const lead of command.leads) {
          const key = subjectKey(lead.subject);
          if (!seen.has(key)) {
            seen.add(key);
            subjects.push(lead.subject);
          }
        }
        return [
          {
            type: 'case.filed',
            data: {
              caseId: command.caseId,
              caseNo: command.caseNo,
              title: command.title,
              leadIds,
              leads: command.leads,
              subjects,
              leadAgency: command.leadAgency,
              coAgencies,
              filedOn: command.filedOn,
              major: command.major,
              difficult: command.difficult,
            },
          },
        ];
      }

      case 'ChangeCaseFlags': {
        const c = existing(state);
        // 重大/疑难 decides whether a 《案情专报》 is due: the office's call, not the handling agency's
        assertOffice(actor);
        assertOpen(c);
        requireText(command.reason, 'reason', 'reason-required', '变更理由');
        if (c.major === command.major && c.difficult === command.difficult) return [];
        return [
          { type: 'case.flags-changed', data: { caseId: c.caseId, major: command.major, difficult: command.difficult, reason: command.reason, changedOn: today } },
        ];
      }

      case 'ReportCaseProgress': {
        const c = existing(state);
        assertCaseAgency(actor, c);
        assertOpen(c);
        if (c.reportIds.includes(command.reportId)) refuse('report-exists', '该案情报告已登记');
        requireOneOf(command.stage, PROGRESS_STAGES, 'stage', '办案阶段');
        requireText(command.summary, 'summary', 'summary-required', '案情报告内容');
        requireDateNotAfterToday(command.reportedOn, today, 'reportedOn');
        requireNotBeforeFirstLead(c, command.reportedOn, 'reportedOn');
        return [
          {
            type: 'case.progress-reported',
            data: { caseId: c.caseId, reportId: command.reportId, stage: command.stage, summary: command.summary, agency: bookedAgency(actor, c), reportedOn: command.reportedOn },
          },
        ];
      }

      case 'RecordRecovery': {
        const c = existing(state);
        assertCaseAgency(actor, c);
        assertOpen(c);
        if (!Number.isSafeInteger(command.amountFen) || command.amountFen <= 0) {
          refuse('amount-not-positive', '挽回损失金额须为正整数（单位：分）', 'invalid', 'amountFen');
        }
        requireWithinCaps(c, command.amountFen, 'amountFen');
        // an agency books the money it recovered itself; the office may book any agency's
        if (actor.role === 'agency' && command.agency !== actor.agency) refuse('not-own-agency', '成员单位只能登记本单位挽回的损失', 'forbidden', 'agency');
        if (c.recoveries[command.recoveryId]) refuse('recovery-exists', '该笔挽回损失已登记');
        requireOneOf(command.category, RECOVERY_CATEGORIES, 'category', '挽损类别');
        requireDateNotAfterToday(command.recoveredOn, today, 'recoveredOn');
        // money may come back during 初核, before 立案 — but not before any lead about it was received
        requireNotBeforeFirstLead(c, command.recoveredOn, 'recoveredOn');
        return [
          {
            type: 'case.loss-recovered',
            data: {
              caseId: c.caseId,
              recoveryId: command.recoveryId,
              amountFen: command.amountFen,
              category: command.category,
              agency: command.agency,
              recoveredOn: command.recoveredOn,
              ...(command.note !== undefined ? { note: command.note } : {}),
            },
          },
        ];
      }

      case 'CorrectRecovery': {
        const c = existing(state);
        assertCaseAgency(actor, c);
        // Deliberately no assertOpen: audits find clerical errors after 结案, and the ledger of recovered
        // losses must still be put right. The correction is a compensating entry, never an edit.
        const recovery = c.recoveries[command.recoveryId];
        if (!recovery) return refuse('recovery-not-found', '该笔挽回损失不存在', 'not-found');
        if (c.correctionIds.includes(command.correctionId)) refuse('correction-exists', '该更正已登记');
        if (!Number.isSafeInteger(command.correctedAmountFen) || command.correctedAmountFen < 0) {
          refuse('amount-negative', '更正后金额须为非负整数（单位：分）', 'invalid', 'correctedAmountFen');
        }
        if (command.correctedAmountFen === recovery.amountFen) refuse('amount-unchanged', '更正后金额与原金额相同', 'invalid', 'correctedAmountFen');
        requireWithinCaps(c, command.correctedAmountFen - recovery.amountFen, 'correctedAmountFen', command.correctedAmountFen);
        requireText(command.reason, 'reason', 'reason-required', '更正理由');
        return [
          {
            type: 'case.loss-recovery-corrected',
            data: {
              caseId: c.caseId,
              recoveryId: command.recoveryId,
              correctionId: command.correctionId,
              deltaFen: command.correctedAmountFen - recovery.amountFen,
              correctedAmountFen: command.correctedAmountFen,
              category: recovery.category,
              agency: recovery.agency,
              recoveredOn: recovery.recoveredOn,
              reason: command.reason,
              correctedOn: today,
            },
          },
        ];
      }

      case 'ImposeSanction': {
        const c = existing(state);
        assertCaseAgency(actor, c);
        assertOpen(c);
        if (c.sanctionIds.includes(command.sanctionId)) refuse('sanction-exists', '该处分已登记');
        requireText(command.personName, 'personName', 'person-required', '受处分人');
        requireOneOf(command.kind, SANCTION_KINDS, 'kind', '处分种类');
        const levels: readonly string[] = SANCTION_LEVELS[command.kind];
        if (levels.length > 0) {
          // 党纪处分 / 政务处分 have fixed grades (警告 … 开除)
          if (command.level === undefined || !levels.includes(command.level)) refuse('sanction-level-invalid', '处分档次与处分种类不符', 'invalid', 'level');
        } else {
          // 诫勉谈话 / 组织处理 have no grade; what was done is described in `measure`
          if (command.level !== undefined) refuse('sanction-level-invalid', '该处理方式没有处分档次', 'invalid', 'level');
          requireText(command.measure, 'measure', 'sanction-measure-required', '处理措施');
        }
        requireDateNotAfterToday(command.decidedOn, today, 'decidedOn');
        return [
          {
            type: 'case.sanction-imposed',
            data: {
              caseId: c.caseId,
              sanctionId: command.sanctionId,
              personName: command.personName,
              kind: command.kind,
              ...(command.level !== undefined ? { level: command.level } : {}),
              ...(command.measure !== undefined ? { measure: command.measure } : {}),
              decidedOn: command.decidedOn,
              agency: bookedAgency(actor, c),
            },
          },
        ];
      }

      case 'TransferCaseToJudiciary': {
        const c = existing(state);
        assertCaseAgency(actor, c);
        assertOpen(c);
        if (c.judicialTransfer) refuse('case-already-transferred-to-judiciary', '案件已移送司法机关');
        if (!JUDICIAL_ORGANS.includes(command.toAgency)) refuse('not-judicial-organ', '只能移送检察机关、审判机关或公安机关', 'invalid', 'toAgency');
        requireText(command.summary, 'summary', 'summary-required', '移送情况');
        requireDateNotAfterToday(command.transferredOn, today, 'transferredOn');
        return [
          { type: 'case.transferred-to-judiciary', data: { caseId: c.caseId, toAgency: command.toAgency, summary: command.summary, transferredOn: command.transferredOn } },
        ];
      }

      case 'RecordCourtResult': {
        const c = existing(state);
        assertCaseAgency(actor, c);
        // allowed after 结案 and more than once: judgments (一审、二审) often arrive after the case is closed
        if (!c.judicialTransfer) refuse('case-not-transferred-to-judiciary', '案件尚未移送司法机关');
        requireText(command.result, 'result', 'result-required', '判决结果');
        requireDateNotAfterToday(command.decidedOn, today, 'decidedOn');
        return [{ type: 'case.court-result-recorded', data: { caseId: c.caseId, result: command.result, decidedOn: command.decidedOn } }];
      }

      case 'CloseCase': {
        const c = existing(state);
        assertLeadAgency(actor, c);
        if (c.status === 'closed') refuse('case-already-closed', '案件已结案');
        requireText(command.summary, 'summary', 'summary-required', '结案情况');
        requireDateNotAfterToday(command.closedOn, today, 'closedOn');
        if (command.closedOn < c.filedOn) refuse('closed-before-filed', '结案日期不能早于立案日期', 'invalid', 'closedOn');
        return [{ type: 'case.closed', data: { caseId: c.caseId, summary: command.summary, closedOn: command.closedOn } }];
      }

      default: {
        const unhandled: never = command;
        // only the type: a command may carry data that must not reach a log line
        throw new Error(`unhandled case command ${String((unhandled as { type?: unknown }).type)}`);
      }
    }
  },

  evolve(state, event) {
    if (event.type === 'case.filed') {
      const d = event.data;
      return {
        status: 'open',
        caseId: d.caseId,
        caseNo: d.caseNo,
        leadAgency: d.leadAgency,
        coAgencies: d.coAgencies,
        filedOn: d.filedOn,
        firstLeadReceivedOn: d.leads.reduce((min, l) => (l.receivedOn < min ? l.receivedOn : min), d.filedOn),
        major: d.major,
        difficult: d.difficult,
        recoveries: {},
        correctionIds: [],
        reportIds: [],
        sanctionIds: [],
      };
    }
    if (state.status === 'none') return state;
    switch (event.type) {
      case 'case.flags-changed':
        return { ...state, major: event.data.major, difficult: event.data.difficult };
      case 'case.progress-reported':
        return { ...state, reportIds: [...state.reportIds, event.data.reportId] };
      case 'case.loss-recovered': {
        const d = event.data;
        return { ...state, recoveries: { ...state.recoveries, [d.recoveryId]: { amountFen: d.amountFen, category: d.category, agency: d.agency, recoveredOn: d.recoveredOn } } };
      }
      case 'case.loss-recovery-corrected': {
        const d = event.data;
        const original = state.recoveries[d.recoveryId];
        if (!original) return state;
        return {
          ...state,
          recoveries: { ...state.recoveries, [d.recoveryId]: { ...original, amountFen: d.correctedAmountFen } },
          correctionIds: [...state.correctionIds, d.correctionId],
        };
      }
      case 'case.sanction-imposed':
        return { ...state, sanctionIds: [...state.sanctionIds, event.data.sanctionId] };
      case 'case.transferred-to-judiciary':
        return { ...state, judicialTransfer: { toAgency: event.data.toAgency, transferredOn: event.data.transferredOn } };
      case 'case.court-result-recorded':
        return state;
      case 'case.closed':
        return { ...state, status: 'closed' };
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  },
};

/** The current recovered amount of a case in fen (sum after corrections). */
export const recoveredTotalFen = (state: CaseState): number =>
  state.status === 'none' ? 0 : Object.values(state.recoveries).reduce((sum, r) => sum + r.amountFen, 0);
