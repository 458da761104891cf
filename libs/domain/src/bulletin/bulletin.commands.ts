import type { WithContext } from '../shared/decider';
import type { BulletinContent, BulletinDistribution, BulletinSectionKey } from './bulletin.events';

/** The case as the write side knows it (caseDecider state): eligibility is decided on this, not on a read model. */
export interface BulletinCaseRef {
  caseId: string;
  caseNo: string;
  major: boolean;
  difficult: boolean;
  version: number;
}

/** The issued bulletin a correction refers to (see issuedBulletinRef). */
export interface IssuedBulletinRef {
  bulletinId: string;
  caseId: string;
  caseNo: string;
  issueNo: string;
  content: BulletinContent;
}

export type DraftBulletin = WithContext<{
  type: 'DraftBulletin';
  bulletinId: string;
  case: BulletinCaseRef;
  content: BulletinContent;
  recoveredFen: number;
}>;

export type DraftBulletinCorrection = WithContext<{
  type: 'DraftBulletinCorrection';
  bulletinId: string;
  original: IssuedBulletinRef;
  reason: string;
  /** defaults to the original's text, marked as a correction */
  content?: BulletinContent;
}>;

/** Edits to a draft: the title and/or some sections; untouched sections keep their text. */
export type ReviseBulletinDraft = WithContext<{
  type: 'ReviseBulletinDraft';
  changes: { title?: string; sections?: Partial<Record<BulletinSectionKey, string>> };
}>;

export type ApproveBulletin = WithContext<{
  type: 'ApproveBulletin';
  /** the revision the leader read; refused when the draft changed since */
  revision?: number;
  /** the name printed as 签发人 (defaults to the username) */
  signerName?: string;
  opinion?: string;
}>;

export type IssueBulletin = WithContext<{
  type: 'IssueBulletin';
  year: number;
  seq: number;
  issuer: string;
  distribution: BulletinDistribution;
}>;

export type BulletinCommand = DraftBulletin | DraftBulletinCorrection | ReviseBulletinDraft | ApproveBulletin | IssueBulletin;

/** Idempotent per bulletinId: a retried issue gets the number it already holds. */
export type AssignBulletinNumber = WithContext<{ type: 'AssignBulletinNumber'; year: number; bulletinId: string }>;
export type BulletinRegisterCommand = AssignBulletinNumber;
