import type { Actor } from '../shared/actor';
import { ctx } from '../testing/fixtures';
import { checkRung } from './reminder-rules';

/**
 * The shared reminder checks raise the write guard's refusals too; reminders-*.spec.ts cover the rest.
 * checkRung is not a decider, so the refusal is asserted on the thrown DomainError directly.
 */
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };

describe('checkRung refusals (code, kind and field)', () => {
  it('an agency user bound to no agency never reminds', () => {
    expect(() => checkRung(ctx(agencyWithoutAgency), { step: 'acknowledge', dueOn: '2026-03-20' }, false)).toThrow(
      expect.objectContaining({ code: 'agency-missing', kind: 'forbidden', field: undefined }),
    );
  });
});
