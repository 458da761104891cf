import type { BulletinContent } from '@coord/domain';
import { projectInMemory } from '../projection';
import { EventFeed } from '../testing/event-feed';
import { bulletinRegisterProjection } from './bulletin-register.projection';

const content = (title: string): BulletinContent => ({
  title,
  sections: { subject: 's', source: 's', allegations: 's', disposition: 's', facts: 's', measures: 's', sanctions: 's', recovered: 's', nextSteps: 's' },
});
const person = { userId: 'u-office', username: 'office', name: 'office' };
const leader = { userId: 'u-leader', username: 'leader', name: '张书记' };

describe('bulletin-register projection', () => {
  it('given a bulletin drafted, revised, approved and issued, and a correction of it, then two rows linked both ways', () => {
    const f = new EventFeed();
    const rows = projectInMemory(bulletinRegisterProjection, [
      f.next('bulletin.drafted', { bulletinId: 'B1', caseId: 'C1', caseNo: 'AJ-2026-0001', content: content('初稿'), drafter: person, draftedOn: '2026-03-16', basis: { caseVersion: 4, recoveredFen: 100 } }, 'bulletin-B1'),
      f.next('bulletin.approved', { bulletinId: 'B1', revision: 1, approver: leader, approvedOn: '2026-03-16' }, 'bulletin-B1'),
      // an edit after signing voids the signature
      f.next('bulletin.draft-revised', { bulletinId: 'B1', revision: 2, content: content('二稿'), revisedOn: '2026-03-17', approvalLapsed: true }, 'bulletin-B1'),
      f.next('bulletin.approved', { bulletinId: 'B1', revision: 2, approver: leader, approvedOn: '2026-03-18' }, 'bulletin-B1'),
      f.next('bulletin-register.number-assigned', { year: 2026, seq: 1, issueNo: '〔2026〕第1期', bulletinId: 'B1' }, 'bulletins-2026'),
      f.next('bulletin.issued', { bulletinId: 'B1', revision: 2, year: 2026, seq: 1, issueNo: '〔2026〕第1期', issuedOn: '2026-03-18', issuer: 'XX县反腐败协调小组', distribution: { mainTo: ['县委'], copyTo: ['县政府'] } }, 'bulletin-B1'),
      f.next('bulletin.correction-drafted', { bulletinId: 'B2', caseId: 'C1', caseNo: 'AJ-2026-0001', correctsBulletinId: 'B1', correctsIssueNo: '〔2026〕第1期', reason: '金额有误', content: content('二稿（更正）'), drafter: person, draftedOn: '2026-03-19' }, 'bulletin-B2'),
    ]);
    expect(rows).toEqual([
      {
        bulletinId: 'B1', caseId: 'C1', caseNo: 'AJ-2026-0001', title: '二稿', status: 'issued', revision: 2, draftedOn: '2026-03-16', draftedBy: 'office',
        approvedBy: '张书记', approvedOn: '2026-03-18', year: 2026, seq: 1, issueNo: '〔2026〕第1期', issuedOn: '2026-03-18',
        distribution: { mainTo: ['县委'], copyTo: ['县政府'] }, correctsBulletinId: null, correctsIssueNo: null, correctedBy: ['B2'],
        // the correction lives in its own stream: the original's version is still its own
        version: 5, lastPosition: 7,
      },
      {
        bulletinId: 'B2', caseId: 'C1', caseNo: 'AJ-2026-0001', title: '二稿（更正）', status: 'draft', revision: 1, draftedOn: '2026-03-19', draftedBy: 'office',
        approvedBy: null, approvedOn: null, year: null, seq: null, issueNo: null, issuedOn: null, distribution: null,
        correctsBulletinId: 'B1', correctsIssueNo: '〔2026〕第1期', correctedBy: [], version: 1, lastPosition: 7,
      },
    ]);
  });

  it('a revision after approval clears the signer in the register', () => {
    const f = new EventFeed();
    const [row] = projectInMemory(bulletinRegisterProjection, [
      f.next('bulletin.drafted', { bulletinId: 'B1', caseId: 'C1', caseNo: 'AJ-2026-0001', content: content('初稿'), drafter: person, draftedOn: '2026-03-16', basis: { caseVersion: 4, recoveredFen: 0 } }, 'bulletin-B1'),
      f.next('bulletin.approved', { bulletinId: 'B1', revision: 1, approver: leader, approvedOn: '2026-03-16' }, 'bulletin-B1'),
      f.next('bulletin.draft-revised', { bulletinId: 'B1', revision: 2, content: content('二稿'), revisedOn: '2026-03-17', approvalLapsed: true }, 'bulletin-B1'),
    ]);
    expect(row).toMatchObject({ status: 'draft', revision: 2, title: '二稿', approvedBy: null, approvedOn: null, version: 3 });
  });
});
