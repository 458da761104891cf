import type { Actor } from '../shared/actor';
import { assertCanWrite } from '../shared/guards';
import { fold, given } from '../testing/given-when-then';
import { audit, auditor, ctx, leadership, office, TODAY } from '../testing/fixtures';
import type { BulletinCommand } from './bulletin.commands';
import { bulletinDecider, issuedBulletinRef } from './bulletin.decider';
import type { BulletinContent, BulletinEvent } from './bulletin.events';

const content: BulletinContent = {
  title: '关于王某某受贿案有关情况的专报',
  sections: {
    subject: '王某某，县住建局局长。',
    source: '审计发现。',
    allegations: '反映王某某收受好处费。',
    disposition: '初步核实。',
    facts: '已查明收受好处费事实。',
    measures: '暂无。',
    sanctions: '暂无。',
    recovered: '截至目前，共挽回经济损失1,280,000.50元（128.00005万元）。',
    nextSteps: '继续查办。',
  },
};
const majorCase = { caseId: 'C1', caseNo: 'AJ-2026-0001', major: true, difficult: false, version: 7 };
const officePerson = { userId: office.userId, username: office.username, name: office.username };
/** the group leader (组长): a leadership account with the title that may sign */
const groupLeader: Actor = { ...leadership, leadershipRole: 'group-leader' };
const deputy: Actor = { userId: 'u-deputy', username: 'deputy', role: 'leadership', leadershipRole: 'deputy' };
const reader: Actor = { userId: 'u-reader', username: 'reader', role: 'leadership', leadershipRole: 'reader' };
const leaderPerson = { userId: leadership.userId, username: leadership.username, name: '张书记' };

const draft = (actor = office, extra: Partial<Extract<BulletinCommand, { type: 'DraftBulletin' }>> = {}): BulletinCommand => ({
  type: 'DraftBulletin',
  bulletinId: 'B1',
  case: majorCase,
  content,
  recoveredFen: 128_000_050,
  ctx: ctx(actor),
  ...extra,
});
const revise = (changes: Extract<BulletinCommand, { type: 'ReviseBulletinDraft' }>['changes'], actor = office): BulletinCommand => ({ type: 'ReviseBulletinDraft', changes, ctx: ctx(actor) });
const approve = (actor = groupLeader, extra: Partial<Extract<BulletinCommand, { type: 'ApproveBulletin' }>> = {}): BulletinCommand => ({
  type: 'ApproveBulletin',
  signerName: '张书记',
  ctx: ctx(actor),
  ...extra,
});
const issue = (actor = office, extra: Partial<Extract<BulletinCommand, { type: 'IssueBulletin' }>> = {}): BulletinCommand => ({
  type: 'IssueBulletin',
  year: 2026,
  seq: 3,
  issuer: 'XX县反腐败协调小组',
  distribution: { mainTo: ['县委'], copyTo: ['县人大常委会', '县政府'] },
  ctx: ctx(actor),
  ...extra,
});

const drafted: BulletinEvent = {
  type: 'bulletin.drafted',
  data: { bulletinId: 'B1', caseId: 'C1', caseNo: 'AJ-2026-0001', content, drafter: officePerson, draftedOn: TODAY, basis: { caseVersion: 7, recoveredFen: 128_000_050 } },
};
const approved: BulletinEvent = { type: 'bulletin.approved', data: { bulletinId: 'B1', revision: 1, approver: leaderPerson, approvedOn: TODAY } };
const issued: BulletinEvent = {
  type: 'bulletin.issued',
  data: {
    bulletinId: 'B1',
    revision: 1,
    year: 2026,
    seq: 3,
    issueNo: '〔2026〕第3期',
    issuedOn: TODAY,
    issuer: 'XX县反腐败协调小组',
    distribution: { mainTo: ['县委'], copyTo: ['县人大常委会', '县政府'] },
  },
};

describe('bulletinDecider (《案情专报》)', () => {
  describe('drafting', () => {
    it('given a major case, when the office drafts, then bulletin.drafted records the content, the drafter and what it was assembled from', () => {
      given(bulletinDecider).when(draft()).then([drafted]);
    });

    it('a difficult (疑难) case may have a bulletin too', () => {
      const events = given(bulletinDecider).when(draft(office, { case: { ...majorCase, major: false, difficult: true } })).then([{ ...drafted }]);
      expect(events).toHaveLength(1);
    });

    it('only major or difficult cases can have a bulletin', () => {
      given(bulletinDecider).when(draft(office, { case: { ...majorCase, major: false, difficult: false } })).thenRefuses('case-not-eligible', 'conflict', 'caseId');
    });

    it('only the office drafts: agencies, leadership and auditors are refused', () => {
      given(bulletinDecider).when(draft(audit)).thenRefuses('office-only', 'forbidden');
      given(bulletinDecider).when(draft(leadership)).thenRefuses('read-only-role', 'forbidden');
      given(bulletinDecider).when(draft(auditor)).thenRefuses('read-only-role', 'forbidden');
    });

    it('a bulletin is drafted once', () => {
      given(bulletinDecider, drafted).when(draft()).thenRefuses('bulletin-exists', 'conflict');
    });

    it('the content needs a title and every section, and nothing else', () => {
      given(bulletinDecider).when(draft(office, { content: { ...content, title: '  ' } })).thenRefuses('title-required', 'invalid', 'content.title');
      const { facts: _missing, ...partial } = content.sections;
      given(bulletinDecider).when(draft(office, { content: { title: 't', sections: partial as BulletinContent['sections'] } })).thenRefuses('section-required', 'invalid', 'content.sections.facts');
      const foreign = { ...content.sections, informant: '李某' } as BulletinContent['sections'];
      given(bulletinDecider).when(draft(office, { content: { title: 't', sections: foreign } })).thenRefuses('section-unknown', 'invalid', 'content.sections.informant');
    });
  });

  describe('editing the draft', () => {
    it('given a draft, when the office edits some sections, then the full new text is revision 2', () => {
      const next = { title: content.title, sections: { ...content.sections, nextSteps: '移送审理后再报。' } };
      given(bulletinDecider, drafted)
        .when(revise({ sections: { nextSteps: '移送审理后再报。' } }))
        .then([{ type: 'bulletin.draft-revised', data: { bulletinId: 'B1', revision: 2, content: next, revisedOn: TODAY, approvalLapsed: false } }]);
    });

    it('an edit that changes nothing is no new revision', () => {
      given(bulletinDecider, drafted).when(revise({ title: content.title })).thenNothing();
    });

    it('editing an approved draft voids the signature: the leader must sign the new text', () => {
      const events = given(bulletinDecider, drafted, approved).when(revise({ title: '新标题' })).then([
        { type: 'bulletin.draft-revised', data: { bulletinId: 'B1', revision: 2, content: { ...content, title: '新标题' }, revisedOn: TODAY, approvalLapsed: true } },
      ]);
      const state = fold(bulletinDecider, drafted, approved, ...events);
      expect(state).toMatchObject({ status: 'draft', revision: 2 });
      expect(state).not.toHaveProperty('approval');
      given(bulletinDecider, drafted, approved, ...events).when(issue()).thenRefuses('bulletin-not-approved');
    });

    it('the issued text is immutable: editing after issue is refused', () => {
      given(bulletinDecider, drafted, approved, issued).when(revise({ title: '改' })).thenRefuses('bulletin-issued', 'conflict');
    });

    it('only the office edits', () => {
      given(bulletinDecider, drafted).when(revise({ title: '改' }, leadership)).thenRefuses('read-only-role', 'forbidden');
      given(bulletinDecider, drafted).when(revise({ title: '改' }, audit)).thenRefuses('office-only', 'forbidden');
    });

    it('a missing bulletin cannot be edited', () => {
      given(bulletinDecider).when(revise({ title: '改' })).thenRefuses('bulletin-not-found', 'not-found');
    });
  });

  describe('签发 (approval by the group leader)', () => {
    it('leadership is refused every write by the shared guard …', () => {
      expect(() => assertCanWrite(leadership)).toThrow(expect.objectContaining({ code: 'read-only-role' }));
    });

    it('… except exactly this one: the leader approves, and the signer name is recorded', () => {
      given(bulletinDecider, drafted).when(approve()).then([approved]);
    });

    it('the opinion (批示) is kept; the username is the signer when no name is given', () => {
      given(bulletinDecider, drafted)
        .when(approve(groupLeader, { signerName: undefined, opinion: '同意，报县委。' }))
        .then([{ type: 'bulletin.approved', data: { bulletinId: 'B1', revision: 1, approver: { ...leaderPerson, name: 'leader' }, approvedOn: TODAY, opinion: '同意，报县委。' } }]);
    });

    it('nobody but leadership signs: not the office that drafted, not an auditor, not an agency', () => {
      given(bulletinDecider, drafted).when(approve(office)).thenRefuses('leader-only', 'forbidden');
      given(bulletinDecider, drafted).when(approve(auditor)).thenRefuses('leader-only', 'forbidden');
      given(bulletinDecider, drafted).when(approve(audit)).thenRefuses('leader-only', 'forbidden');
    });

    it('within leadership only the group leader (组长) signs: a deputy, a reader and an untitled account are refused', () => {
      given(bulletinDecider, drafted).when(approve(deputy)).thenRefuses('group-leader-only', 'forbidden');
      given(bulletinDecider, drafted).when(approve(reader)).thenRefuses('group-leader-only', 'forbidden');
      // an account created before titles existed has none: fail closed
      given(bulletinDecider, drafted).when(approve(leadership)).thenRefuses('group-leader-only', 'forbidden');
    });

    it('the leader signs the revision read: a draft changed since is refused', () => {
      given(bulletinDecider, drafted).when(approve(groupLeader, { revision: 2 })).thenRefuses('bulletin-revision-changed', 'conflict', 'revision');
      given(bulletinDecider, drafted).when(approve(groupLeader, { revision: 1 })).then([approved]);
    });

    it('signing the same text twice is one signature', () => {
      given(bulletinDecider, drafted, approved).when(approve()).thenNothing();
    });

    it('re-approving after issue is refused', () => {
      given(bulletinDecider, drafted, approved, issued).when(approve()).thenRefuses('bulletin-issued', 'conflict');
    });
  });

  describe('印发 (issue)', () => {
    it('given an approved bulletin, when the office issues with number 3, then it is 〔2026〕第3期 with its distribution', () => {
      given(bulletinDecider, drafted, approved).when(issue()).then([issued]);
    });

    it('an unapproved draft is not issued', () => {
      given(bulletinDecider, drafted).when(issue()).thenRefuses('bulletin-not-approved', 'conflict');
    });

    it('an issued bulletin is not issued again (no second number)', () => {
      given(bulletinDecider, drafted, approved, issued).when(issue(office, { seq: 4 })).thenRefuses('bulletin-already-issued', 'conflict');
    });

    it('the office issues; the leader signs but does not print', () => {
      given(bulletinDecider, drafted, approved).when(issue(leadership)).thenRefuses('read-only-role', 'forbidden');
    });

    it('the number belongs to the year of issue', () => {
      given(bulletinDecider, drafted, approved).when(issue(office, { year: 2025 })).thenRefuses('issue-year-mismatch', 'invalid', 'year');
      given(bulletinDecider, drafted, approved).when(issue(office, { seq: 0 })).thenRefuses('issue-seq-invalid', 'invalid', 'seq');
    });

    it('the distribution needs a 主送 recipient, without blanks or duplicates', () => {
      given(bulletinDecider, drafted, approved).when(issue(office, { distribution: { mainTo: [], copyTo: ['县委'] } })).thenRefuses('main-recipient-required', 'invalid', 'distribution.mainTo');
      given(bulletinDecider, drafted, approved).when(issue(office, { distribution: { mainTo: ['县委', ' '], copyTo: [] } })).thenRefuses('recipient-required', 'invalid', 'distribution.mainTo.1');
      given(bulletinDecider, drafted, approved).when(issue(office, { distribution: { mainTo: ['县委'], copyTo: ['县委'] } })).thenRefuses('recipient-duplicate', 'invalid', 'distribution.copyTo');
    });
  });

  describe('corrections (更正): a new bulletin referring to the issued one', () => {
    const original = fold(bulletinDecider, drafted, approved, issued);
    const correct = (extra: Partial<Extract<BulletinCommand, { type: 'DraftBulletinCorrection' }>> = {}): BulletinCommand => ({
      type: 'DraftBulletinCorrection',
      bulletinId: 'B2',
      original: issuedBulletinRef(original),
      reason: '挽损金额有误',
      ctx: ctx(office),
      ...extra,
    });

    it('only an issued bulletin is corrected; a draft is simply edited', () => {
      expect(() => issuedBulletinRef(fold(bulletinDecider, drafted, approved))).toThrow(expect.objectContaining({ code: 'bulletin-not-issued' }));
      expect(() => issuedBulletinRef(fold(bulletinDecider))).toThrow(expect.objectContaining({ code: 'bulletin-not-found' }));
    });

    it('given an issued bulletin, when the office drafts a correction, then a new draft refers to it and starts from its text', () => {
      given(bulletinDecider)
        .when(correct())
        .then([
          {
            type: 'bulletin.correction-drafted',
            data: {
              bulletinId: 'B2',
              caseId: 'C1',
              caseNo: 'AJ-2026-0001',
              correctsBulletinId: 'B1',
              correctsIssueNo: '〔2026〕第3期',
              reason: '挽损金额有误',
              content: { ...content, title: `${content.title}（更正）` },
              drafter: officePerson,
              draftedOn: TODAY,
            },
          },
        ]);
    });

    it('a correction needs a reason', () => {
      given(bulletinDecider).when(correct({ reason: '' })).thenRefuses('reason-required', 'invalid', 'reason');
    });

    it('the correction then runs the same course: approved and issued with its own number', () => {
      const [c] = bulletinDecider.decide(correct(), bulletinDecider.initialState);
      const signed = given(bulletinDecider, c).when(approve()).then([{ ...approved, data: { ...approved.data, bulletinId: 'B2' } }]);
      given(bulletinDecider, c, ...signed)
        .when(issue(office, { seq: 4 }))
        .then([{ ...issued, data: { ...issued.data, bulletinId: 'B2', seq: 4, issueNo: '〔2026〕第4期' } }]);
    });
  });
});
