import type { Actor } from '../shared/actor';
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { assertOffice, requireText } from '../shared/guards';
import type { LocalDate } from '../shared/local-date';
import { yearOf } from '../shared/local-date';
import type { BulletinCommand, IssuedBulletinRef } from './bulletin.commands';
import {
  BULLETIN_SECTION_KEYS,
  type BulletinContent,
  type BulletinDistribution,
  type BulletinEvent,
  type BulletinPerson,
  type BulletinSectionKey,
} from './bulletin.events';
import { formatIssueNo } from './bulletin-register.decider';

export interface BulletinFacts {
  bulletinId: string;
  caseId: string;
  caseNo: string;
  content: BulletinContent;
  /** 1 when drafted, +1 per revision */
  revision: number;
  drafter: BulletinPerson;
  draftedOn: LocalDate;
  corrects?: { bulletinId: string; issueNo: string; reason: string };
  approval?: { revision: number; approver: BulletinPerson; approvedOn: LocalDate; opinion?: string };
  issue?: { year: number; seq: number; issueNo: string; issuedOn: LocalDate; issuer: string; distribution: BulletinDistribution; revision: number };
}

/** draft (拟稿) → approved (已签发) → issued (已印发, immutable). Revising an approved draft returns it to draft. */
export type BulletinStatus = 'draft' | 'approved' | 'issued';
export type BulletinState = { status: 'none' } | (BulletinFacts & { status: BulletinStatus });
type ExistingBulletin = Exclude<BulletinState, { status: 'none' }>;

export const MAX_TITLE_LENGTH = 200;
export const MAX_SECTION_LENGTH = 20_000;
export const MAX_RECIPIENTS = 100;

function existing(state: BulletinState): ExistingBulletin {
  if (state.status === 'none') return refuse('bulletin-not-found', '《案情专报》不存在', 'not-found');
  return state;
}

/** The issued text is the record leadership acted on: it never changes; a correction is a new bulletin. */
function assertNotIssued(b: ExistingBulletin): void {
  if (b.status === 'issued') refuse('bulletin-issued', `《案情专报》${b.issue?.issueNo ?? ''}已印发，内容不可更改；如需更正请另拟更正专报`);
}

/**
 * 签发 is the one write a leadership account makes. The shared assertCanWrite refuses leadership on
 * purpose (readers never write), so approval does NOT call it: it admits exactly the leadership role and
 * nobody else — not the office that drafted the text, not an auditor, not an agency. Within leadership,
 * only the group leader (组长) signs: a deputy (副组长), a reader, or an account created before titles
 * existed (no leadershipRole: fail closed) is refused with its own code, so the client can say why.
 */
function assertLeaderMaySign(actor: Actor): void {
  if (actor.role !== 'leadership') refuse('leader-only', '只有协调小组组长可以签发《案情专报》', 'forbidden');
  if (actor.leadershipRole !== 'group-leader') refuse('group-leader-only', '只有协调小组组长可以签发《案情专报》，副组长和其他领导账号不能签发', 'forbidden');
}

const personOf = (actor: Actor, name?: string): BulletinPerson => ({
  userId: actor.userId,
  username: actor.username,
  name: name !== undefined && name.trim() !== '' ? name.trim() : actor.username,
});

/** Validates a complete content: a title and every section (a section may be empty, never missing or foreign). */
export function validContent(content: BulletinContent): BulletinContent {
  if (!content || typeof content !== 'object') return refuse('content-required', '专报内容不能为空', 'invalid', 'content');
  requireText(content.title, 'content.title', 'title-required', '专报标题');
  if (content.title.length > MAX_TITLE_LENGTH) refuse('title-too-long', `专报标题不能超过${MAX_TITLE_LENGTH}字`, 'invalid', 'content.title');
  const sections = content.sections as Record<string, unknown> | undefined;
  if (!sections || typeof sections !== 'object') return refuse('sections-required', '专报正文不能为空', 'invalid', 'content.sections');
  for (const key of Object.keys(sections)) {
    if (!(BULLETIN_SECTION_KEYS as readonly string[]).includes(key)) refuse('section-unknown', `专报没有“${key}”这一部分`, 'invalid', `content.sections.${key}`);
  }
  const out = {} as Record<BulletinSectionKey, string>;
  for (const key of BULLETIN_SECTION_KEYS) {
    const text = sections[key];
    if (typeof text !== 'string') refuse('section-required', `专报缺少“${key}”部分`, 'invalid', `content.sections.${key}`);
    if ((text as string).length > MAX_SECTION_LENGTH) refuse('section-too-long', `每部分不能超过${MAX_SECTION_LENGTH}字`, 'invalid', `content.sections.${key}`);
    out[key] = text as string;
  }
  // rebuilt key by key in the canonical order, so nothing but title and sections is ever stored
  return { title: content.title.trim(), sections: out };
}

function validDistribution(d: BulletinDistribution): BulletinDistribution {
  const list = (value: unknown, field: string): string[] => {
    if (value === undefined) return [];
    if (!Array.isArray(value)) return refuse('distribution-invalid', '分送范围格式不正确', 'invalid', field);
    const names = value.map((v, i) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : refuse('recipient-required', '分送单位名称不能为空', 'invalid', `${field}.${i}`)));
    if (new Set(names).size !== names.length) refuse('recipient-duplicate', '分送单位重复', 'invalid', field);
    return names;
  };
  const mainTo = list(d?.mainTo, 'distribution.mainTo');
  const copyTo = list(d?.copyTo, 'distribution.copyTo');
  if (mainTo.length === 0) refuse('main-recipient-required', '印发《案情专报》须至少有一个主送单位', 'invalid', 'distribution.mainTo');
  if (mainTo.length + copyTo.length > MAX_RECIPIENTS) refuse('too-many-recipients', `分送单位不能超过${MAX_RECIPIENTS}个`, 'invalid', 'distribution');
  if (copyTo.some((c) => mainTo.includes(c))) refuse('recipient-duplicate', '同一单位不能既主送又抄送', 'invalid', 'distribution.copyTo');
  return { mainTo, copyTo };
}

/** What a correction refers to: an issued bulletin (a draft is simply revised, not corrected). */
export function issuedBulletinRef(state: BulletinState): IssuedBulletinRef {
  const b = existing(state);
  if (b.status !== 'issued' || !b.issue) return refuse('bulletin-not-issued', '只有已印发的《案情专报》才能更正；草稿请直接修改', 'conflict');
  return { bulletinId: b.bulletinId, caseId: b.caseId, caseNo: b.caseNo, issueNo: b.issue.issueNo, content: b.content };
}

export const bulletinDecider: Decider<BulletinCommand, BulletinState, BulletinEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const { actor, today } = command.ctx;
    switch (command.type) {
      case 'DraftBulletin': {
        assertOffice(actor);
        if (state.status !== 'none') refuse('bulletin-exists', '该《案情专报》已拟稿');
        // 《案情专报》 are for major (重大) and difficult (疑难) cases only
        if (!command.case.major && !command.case.difficult) refuse('case-not-eligible', '只有重大或疑难案件才能编发《案情专报》', 'conflict', 'caseId');
        if (!Number.isSafeInteger(command.recoveredFen)) refuse('amount-invalid', '挽损金额须为整数（单位：分）', 'invalid', 'recoveredFen');
        return [
          {
            type: 'bulletin.drafted',
            data: {
              bulletinId: command.bulletinId,
              caseId: command.case.caseId,
              caseNo: command.case.caseNo,
              content: validContent(command.content),
              drafter: personOf(actor),
              draftedOn: today,
              basis: { caseVersion: command.case.version, recoveredFen: command.recoveredFen },
            },
          },
        ];
      }

      case 'DraftBulletinCorrection': {
        assertOffice(actor);
        if (state.status !== 'none') refuse('bulletin-exists', '该《案情专报》已拟稿');
        const reason = requireText(command.reason, 'reason', 'reason-required', '更正理由');
        const o = command.original;
        const content = command.content ?? { title: `${o.content.title}（更正）`, sections: { ...o.content.sections } };
        return [
          {
            type: 'bulletin.correction-drafted',
            data: {
              bulletinId: command.bulletinId,
              caseId: o.caseId,
              caseNo: o.caseNo,
              correctsBulletinId: o.bulletinId,
              correctsIssueNo: o.issueNo,
              reason: reason.trim(),
              content: validContent(content),
              drafter: personOf(actor),
              draftedOn: today,
            },
          },
        ];
      }

      case 'ReviseBulletinDraft': {
        const b = existing(state);
        assertOffice(actor);
        assertNotIssued(b);
        const changes = command.changes ?? {};
        const next = validContent({
          title: changes.title ?? b.content.title,
          sections: { ...b.content.sections, ...(changes.sections ?? {}) } as Record<BulletinSectionKey, string>,
        });
        // an edit that changes nothing is not a new revision (and does not void a signature)
        if (JSON.stringify(next) === JSON.stringify(b.content)) return [];
        return [
          {
            type: 'bulletin.draft-revised',
            data: { bulletinId: b.bulletinId, revision: b.revision + 1, content: next, revisedOn: today, approvalLapsed: b.status === 'approved' },
          },
        ];
      }

      case 'ApproveBulletin': {
        const b = existing(state);
        assertLeaderMaySign(actor);
        assertNotIssued(b);
        if (command.revision !== undefined && command.revision !== b.revision) {
          refuse('bulletin-revision-changed', `专报已修改为第${b.revision}稿，请阅改后再签发`, 'conflict', 'revision');
        }
        // the same text signed twice is one signature
        if (b.status === 'approved' && b.approval?.revision === b.revision) return [];
        return [
          {
            type: 'bulletin.approved',
            data: {
              bulletinId: b.bulletinId,
              revision: b.revision,
              approver: personOf(actor, command.signerName),
              approvedOn: today,
              ...(command.opinion !== undefined && command.opinion.trim() !== '' ? { opinion: command.opinion.trim() } : {}),
            },
          },
        ];
      }

      case 'IssueBulletin': {
        const b = existing(state);
        assertOffice(actor);
        if (b.status === 'issued') refuse('bulletin-already-issued', `该《案情专报》已印发（${b.issue?.issueNo ?? ''}）`);
        if (b.status !== 'approved') refuse('bulletin-not-approved', '《案情专报》须经组长签发后才能印发');
        // the number belongs to the year it is issued in; the register stream of that year handed it out
        if (command.year !== yearOf(today)) refuse('issue-year-mismatch', '期号年度须为印发当年', 'invalid', 'year');
        if (!Number.isSafeInteger(command.seq) || command.seq < 1) refuse('issue-seq-invalid', '期号无效', 'invalid', 'seq');
        const issuer = requireText(command.issuer, 'issuer', 'issuer-required', '发文机关').trim();
        return [
          {
            type: 'bulletin.issued',
            data: {
              bulletinId: b.bulletinId,
              revision: b.revision,
              year: command.year,
              seq: command.seq,
              issueNo: formatIssueNo(command.year, command.seq),
              issuedOn: today,
              issuer,
              distribution: validDistribution(command.distribution),
            },
          },
        ];
      }

      default: {
        const unhandled: never = command;
        throw new Error(`unhandled bulletin command ${String((unhandled as { type: string }).type)}`);
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'bulletin.drafted': {
        const d = event.data;
        return { status: 'draft', bulletinId: d.bulletinId, caseId: d.caseId, caseNo: d.caseNo, content: d.content, revision: 1, drafter: d.drafter, draftedOn: d.draftedOn };
      }
      case 'bulletin.correction-drafted': {
        const d = event.data;
        return {
          status: 'draft',
          bulletinId: d.bulletinId,
          caseId: d.caseId,
          caseNo: d.caseNo,
          content: d.content,
          revision: 1,
          drafter: d.drafter,
          draftedOn: d.draftedOn,
          corrects: { bulletinId: d.correctsBulletinId, issueNo: d.correctsIssueNo, reason: d.reason },
        };
      }
      case 'bulletin.draft-revised': {
        if (state.status === 'none') return state;
        const { approval: _lapsed, ...rest } = state;
        return { ...rest, status: 'draft', content: event.data.content, revision: event.data.revision };
      }
      case 'bulletin.approved': {
        if (state.status === 'none') return state;
        const d = event.data;
        return { ...state, status: 'approved', approval: { revision: d.revision, approver: d.approver, approvedOn: d.approvedOn, ...(d.opinion !== undefined ? { opinion: d.opinion } : {}) } };
      }
      case 'bulletin.issued': {
        if (state.status === 'none') return state;
        const d = event.data;
        return { ...state, status: 'issued', issue: { year: d.year, seq: d.seq, issueNo: d.issueNo, issuedOn: d.issuedOn, issuer: d.issuer, distribution: d.distribution, revision: d.revision } };
      }
      default:
        return state;
    }
  },
};
