import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';

/**
 * The sections of a 《案情专报》, in the order they are printed. The keys are part of the persisted
 * contract (they are stored in every drafted/revised event); the headings are presentation.
 */
export const BULLETIN_SECTIONS = [
  { key: 'subject', heading: '基本情况' }, // person and post (被反映人及职务)
  { key: 'source', heading: '线索来源' },
  { key: 'allegations', heading: '反映的主要问题' },
  { key: 'disposition', heading: '处置及审批情况' },
  { key: 'facts', heading: '查明的事实' },
  { key: 'measures', heading: '采取的措施' },
  { key: 'sanctions', heading: '处理处分情况' },
  { key: 'recovered', heading: '挽回经济损失' },
  { key: 'nextSteps', heading: '下一步工作' },
] as const;
export type BulletinSectionKey = (typeof BULLETIN_SECTIONS)[number]['key'];
export const BULLETIN_SECTION_KEYS: readonly BulletinSectionKey[] = BULLETIN_SECTIONS.map((s) => s.key);

/** The text of a bulletin: a title and one plain-text body per section (paragraphs separated by '\n'). */
export interface BulletinContent {
  title: string;
  sections: Record<BulletinSectionKey, string>;
}

/** Who did a bulletin step, as printed (签发人) and recorded. */
export interface BulletinPerson {
  userId: string;
  username: string;
  /** the name printed on the document (签发人); defaults to the username */
  name: string;
}

/** 主送 / 抄送 */
export interface BulletinDistribution {
  mainTo: string[];
  copyTo: string[];
}

export type BulletinDrafted = DomainEvent<
  'bulletin.drafted',
  {
    bulletinId: string;
    caseId: string;
    caseNo: string;
    content: BulletinContent;
    drafter: BulletinPerson;
    draftedOn: LocalDate;
    /** what the draft was assembled from: the case stream's version and its net recovered amount then */
    basis: { caseVersion: number; recoveredFen: number };
  }
>;

/** A correction is a NEW bulletin that refers to an issued one; the issued text itself never changes. */
export type BulletinCorrectionDrafted = DomainEvent<
  'bulletin.correction-drafted',
  {
    bulletinId: string;
    caseId: string;
    caseNo: string;
    correctsBulletinId: string;
    correctsIssueNo: string;
    reason: string;
    content: BulletinContent;
    drafter: BulletinPerson;
    draftedOn: LocalDate;
  }
>;

/** The office edits the draft: the full new content (revision 2, 3, …). An approval of an earlier revision lapses. */
export type BulletinDraftRevised = DomainEvent<
  'bulletin.draft-revised',
  { bulletinId: string; revision: number; content: BulletinContent; revisedOn: LocalDate; approvalLapsed: boolean }
>;

/** 签发: the group leader signs one revision. */
export type BulletinApproved = DomainEvent<
  'bulletin.approved',
  { bulletinId: string; revision: number; approver: BulletinPerson; approvedOn: LocalDate; opinion?: string }
>;

/** 印发: numbered 〔2026〕第3期 in the same atomic append as bulletin-register.number-assigned. */
export type BulletinIssued = DomainEvent<
  'bulletin.issued',
  {
    bulletinId: string;
    revision: number;
    year: number;
    seq: number;
    issueNo: string;
    issuedOn: LocalDate;
    issuer: string;
    distribution: BulletinDistribution;
  }
>;

export type BulletinEvent = BulletinDrafted | BulletinCorrectionDrafted | BulletinDraftRevised | BulletinApproved | BulletinIssued;

/** The per-year register of issue numbers (stream bulletins-<year>): gapless, one number per bulletin. */
export type BulletinNumberAssigned = DomainEvent<
  'bulletin-register.number-assigned',
  { year: number; seq: number; issueNo: string; bulletinId: string }
>;

export type BulletinRegisterEvent = BulletinNumberAssigned;
