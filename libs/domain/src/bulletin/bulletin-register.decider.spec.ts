import { given } from '../testing/given-when-then';
import { audit, ctx, leadership, office } from '../testing/fixtures';
import type { BulletinRegisterCommand } from './bulletin.commands';
import type { BulletinRegisterEvent } from './bulletin.events';
import { bulletinRegisterDecider, formatIssueNo, nextBulletinSeq } from './bulletin-register.decider';

const assign = (bulletinId: string, year = 2026, actor = office): BulletinRegisterCommand => ({ type: 'AssignBulletinNumber', year, bulletinId, ctx: ctx(actor) });
const assigned = (bulletinId: string, seq: number, year = 2026): BulletinRegisterEvent => ({
  type: 'bulletin-register.number-assigned',
  data: { year, seq, issueNo: formatIssueNo(year, seq), bulletinId },
});

describe('bulletinRegisterDecider (专报期号, stream bulletins-<year>)', () => {
  it('the first bulletin of the year is 第1期', () => {
    given(bulletinRegisterDecider).when(assign('B1')).then([{ type: 'bulletin-register.number-assigned', data: { year: 2026, seq: 1, issueNo: '〔2026〕第1期', bulletinId: 'B1' } }]);
  });

  it('numbers are gapless: given 2 issued, the next is 第3期', () => {
    given(bulletinRegisterDecider, assigned('B1', 1), assigned('B2', 2)).when(assign('B3')).then([assigned('B3', 3)]);
  });

  it('is idempotent per bulletin: a retried issue keeps its number and draws none', () => {
    given(bulletinRegisterDecider, assigned('B1', 1), assigned('B2', 2)).when(assign('B1')).thenNothing();
    const { state } = given(bulletinRegisterDecider, assigned('B1', 1), assigned('B2', 2));
    expect(nextBulletinSeq(state, 'B1')).toBe(1);
    expect(nextBulletinSeq(state, 'B9')).toBe(3);
  });

  it('one register per year: a number for another year was routed to the wrong stream', () => {
    given(bulletinRegisterDecider, assigned('B1', 1)).when(assign('B2', 2027)).thenRefuses('register-mismatch', 'invalid', 'year');
    given(bulletinRegisterDecider).when(assign('B2', 99)).thenRefuses('register-year-invalid', 'invalid', 'year');
  });

  it('only the office draws issue numbers', () => {
    given(bulletinRegisterDecider).when(assign('B1', 2026, leadership)).thenRefuses('read-only-role', 'forbidden');
    given(bulletinRegisterDecider).when(assign('B1', 2026, audit)).thenRefuses('office-only', 'forbidden');
  });

  it('formats 〔year〕第n期 without padding', () => {
    expect(formatIssueNo(2026, 3)).toBe('〔2026〕第3期');
    expect(formatIssueNo(2026, 12)).toBe('〔2026〕第12期');
  });
});
