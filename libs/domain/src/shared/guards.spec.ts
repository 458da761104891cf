import type { Actor } from './actor';
import { DomainError } from './domain-error';
import { assertCanWrite, assertOffice, requireDate, requireDateNotAfterToday, requireOneOf, requireText } from './guards';
import { audit, auditor, leadership, office, system, TODAY } from '../testing/fixtures';

/**
 * The shared guards every decider calls. The deciders' own specs assert the codes per command; these pin
 * the guards themselves (code, kind, field, and a zh-CN message), so a change here shows up in one place.
 */
const BLANKS = ['', '  \t\u3000'];
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };
const refusal = (code: string, kind: string, field?: string) =>
  expect.objectContaining({ name: 'DomainError', code, kind, field, message: expect.stringMatching(/[\u4e00-\u9fff]/) });

describe('shared guards', () => {
  it('assertCanWrite: readers never write, an agency user needs an agency', () => {
    expect(() => assertCanWrite(leadership)).toThrow(refusal('read-only-role', 'forbidden'));
    expect(() => assertCanWrite(auditor)).toThrow(refusal('read-only-role', 'forbidden'));
    expect(() => assertCanWrite(agencyWithoutAgency)).toThrow(refusal('agency-missing', 'forbidden'));
    expect(() => assertCanWrite(audit)).not.toThrow();
  });

  it('assertOffice: the office, the system only where allowed', () => {
    expect(() => assertOffice(audit)).toThrow(refusal('office-only', 'forbidden'));
    expect(() => assertOffice(system)).toThrow(refusal('office-only', 'forbidden'));
    expect(() => assertOffice(system, { allowSystem: true })).not.toThrow();
    expect(() => assertOffice(office)).not.toThrow();
    expect(() => assertOffice(leadership)).toThrow(refusal('read-only-role', 'forbidden'));
  });

  it.each(BLANKS)('requireText refuses %j with the caller’s code on the caller’s field', (blank) => {
    expect(() => requireText(blank, 'reason', 'reason-required', '理由')).toThrow(refusal('reason-required', 'invalid', 'reason'));
    expect(() => requireText(undefined, 'reason', 'reason-required', '理由')).toThrow(DomainError);
    expect(requireText(' 有内容 ', 'reason', 'reason-required', '理由')).toBe(' 有内容 ');
  });

  it('requireDate and requireDateNotAfterToday: a date, and not tomorrow', () => {
    expect(() => requireDate('2026-3-1', 'dueOn')).toThrow(refusal('date-invalid', 'invalid', 'dueOn'));
    expect(() => requireDateNotAfterToday('1.3.2026', TODAY, 'filedOn')).toThrow(refusal('date-invalid', 'invalid', 'filedOn'));
    expect(() => requireDateNotAfterToday('2026-03-17', TODAY, 'filedOn')).toThrow(refusal('date-in-future', 'invalid', 'filedOn'));
    expect(() => requireDateNotAfterToday('2026-03-17', TODAY, 'receivedOn', 'received-in-future')).toThrow(
      refusal('received-in-future', 'invalid', 'receivedOn'),
    );
    expect(() => requireDateNotAfterToday(TODAY, TODAY, 'filedOn')).not.toThrow();
  });

  it('requireOneOf: the code is <field>-invalid', () => {
    expect(() => requireOneOf('other', ['a', 'b'] as const, 'source', '来源')).toThrow(refusal('source-invalid', 'invalid', 'source'));
    expect(requireOneOf('a', ['a', 'b'] as const, 'source', '来源')).toBe('a');
  });
});
