import type { Actor } from '../shared/actor';
import { fold, given } from '../testing/given-when-then';
import { ctx, leadership, office, TODAY } from '../testing/fixtures';
import type { BulletinCommand } from './bulletin.commands';
import { bulletinDecider, issuedBulletinRef, MAX_RECIPIENTS, MAX_SECTION_LENGTH, MAX_TITLE_LENGTH } from './bulletin.decider';
import { bulletinRegisterDecider } from './bulletin-register.decider';
import type { BulletinContent, BulletinDistribution, BulletinEvent } from './bulletin.events';

/**
 * Refusals of the bulletin deciders that bulletin.decider.spec.ts does not pin down to code, kind AND
 * field: each is part of the HTTP contract (problem+json code, status family, highlighted field).
 */
const BLANKS = ['', '  \t\u3000'];
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };
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
    recovered: '暂无。',
    nextSteps: '继续查办。',
  },
};
const majorCase = { caseId: 'C1', caseNo: 'AJ-2026-0001', major: true, difficult: false, version: 7 };
const draft = (extra: Partial<Extract<BulletinCommand, { type: 'DraftBulletin' }>> = {}, actor: Actor = office): BulletinCommand => ({
  type: 'DraftBulletin',
  bulletinId: 'B1',
  case: majorCase,
  content,
  recoveredFen: 0,
  ctx: ctx(actor),
  ...extra,
});
const issue = (extra: Partial<Extract<BulletinCommand, { type: 'IssueBulletin' }>> = {}): BulletinCommand => ({
  type: 'IssueBulletin',
  year: 2026,
  seq: 3,
  issuer: 'XX县反腐败协调小组',
  distribution: { mainTo: ['县委'], copyTo: ['县政府'] },
  ctx: ctx(office),
  ...extra,
});
const officePerson = { userId: office.userId, username: office.username, name: office.username };
const drafted: BulletinEvent = {
  type: 'bulletin.drafted',
  data: { bulletinId: 'B1', caseId: 'C1', caseNo: 'AJ-2026-0001', content, drafter: officePerson, draftedOn: TODAY, basis: { caseVersion: 7, recoveredFen: 0 } },
};
const approved: BulletinEvent = {
  type: 'bulletin.approved',
  data: { bulletinId: 'B1', revision: 1, approver: { userId: leadership.userId, username: leadership.username, name: '张书记' }, approvedOn: TODAY },
};
const original = { bulletinId: 'B0', caseId: 'C1', caseNo: 'AJ-2026-0001', issueNo: '〔2026〕第1期', content };

describe('bulletin refusals (code, kind and field)', () => {
  it('an agency user bound to no agency drafts nothing and draws no issue number', () => {
    given(bulletinDecider).when(draft({}, agencyWithoutAgency)).thenRefuses('agency-missing', 'forbidden');
    given(bulletinRegisterDecider)
      .when({ type: 'AssignBulletinNumber', year: 2026, bulletinId: 'B1', ctx: ctx(agencyWithoutAgency) })
      .thenRefuses('agency-missing', 'forbidden');
  });

  it('the recovered amount the draft was based on must be whole fen', () => {
    given(bulletinDecider).when(draft({ recoveredFen: 1.5 })).thenRefuses('amount-invalid', 'invalid', 'recoveredFen');
  });

  it('content must be there, with sections, within the length limits', () => {
    given(bulletinDecider)
      .when(draft({ content: null as unknown as BulletinContent }))
      .thenRefuses('content-required', 'invalid', 'content');
    given(bulletinDecider)
      .when(draft({ content: { title: content.title } as BulletinContent }))
      .thenRefuses('sections-required', 'invalid', 'content.sections');
    given(bulletinDecider)
      .when(draft({ content: { ...content, title: '专'.repeat(MAX_TITLE_LENGTH + 1) } }))
      .thenRefuses('title-too-long', 'invalid', 'content.title');
    given(bulletinDecider)
      .when(draft({ content: { ...content, sections: { ...content.sections, facts: '事'.repeat(MAX_SECTION_LENGTH + 1) } } }))
      .thenRefuses('section-too-long', 'invalid', 'content.sections.facts');
  });

  it('a distribution list that is not a list, or too long, is refused on its field', () => {
    given(bulletinDecider, drafted, approved)
      .when(issue({ distribution: { mainTo: '县委' } as unknown as BulletinDistribution }))
      .thenRefuses('distribution-invalid', 'invalid', 'distribution.mainTo');
    const many = Array.from({ length: MAX_RECIPIENTS + 1 }, (_, i) => `单位${i + 1}`);
    given(bulletinDecider, drafted, approved)
      .when(issue({ distribution: { mainTo: ['县委'], copyTo: many.slice(1) } }))
      .thenRefuses('too-many-recipients', 'invalid', 'distribution');
  });

  it('only an issued bulletin can be corrected', () => {
    expect(() => issuedBulletinRef(fold(bulletinDecider, drafted, approved))).toThrow(
      expect.objectContaining({ code: 'bulletin-not-issued', kind: 'conflict', field: undefined }),
    );
  });

  describe.each(BLANKS)('required text, blank value %j', (blank) => {
    it('DraftBulletin needs a title', () => {
      given(bulletinDecider)
        .when(draft({ content: { ...content, title: blank } }))
        .thenRefuses('title-required', 'invalid', 'content.title');
    });
    it('DraftBulletinCorrection needs a reason', () => {
      given(bulletinDecider)
        .when({ type: 'DraftBulletinCorrection', bulletinId: 'B2', original, reason: blank, ctx: ctx(office) })
        .thenRefuses('reason-required', 'invalid', 'reason');
    });
    it('IssueBulletin needs the issuer', () => {
      given(bulletinDecider, drafted, approved).when(issue({ issuer: blank })).thenRefuses('issuer-required', 'invalid', 'issuer');
    });
  });
});
