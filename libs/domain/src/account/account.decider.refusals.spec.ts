import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { ctx, office } from '../testing/fixtures';
import { accountDecider } from './account.decider';
import type { AccountCommand } from './account.commands';
import type { AccountEvent, AccountRole } from './account.events';

/** Refusals of the account decider that account.decider.spec.ts does not pin down to code, kind AND field. */
const BLANKS = ['', '  \t\u3000'];
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };
const create = (extra: Partial<Extract<AccountCommand, { type: 'CreateAccount' }>> = {}, actor: Actor = office): AccountCommand => ({
  type: 'CreateAccount',
  userId: 'U7',
  username: 'audit-li',
  role: 'agency',
  agency: 'audit-bureau',
  passwordHash: 'scrypt$abc',
  ctx: ctx(actor),
  ...extra,
});
const created: AccountEvent = {
  type: 'account.created',
  data: { userId: 'U7', username: 'audit-li', role: 'agency', agency: 'audit-bureau' },
  confidential: { passwordHash: 'scrypt$abc' },
};
const officeCreated: AccountEvent = { type: 'account.created', data: { userId: office.userId, username: office.username, role: 'office' }, confidential: { passwordHash: 'h' } };

describe('accountDecider refusals (code, kind and field)', () => {
  it('an agency user bound to no agency writes nothing', () => {
    given(accountDecider).when(create({}, agencyWithoutAgency)).thenRefuses('agency-missing', 'forbidden');
  });

  it.each(['', 'a', '-lead', 'li si', '张三', 'x'.repeat(65)])('the username %j is refused on username', (username) => {
    given(accountDecider).when(create({ username })).thenRefuses('username-invalid', 'invalid', 'username');
  });

  it('a role outside the closed list is refused on role', () => {
    given(accountDecider)
      .when(create({ role: 'superuser' as AccountRole }))
      .thenRefuses('role-invalid', 'invalid', 'role');
  });

  it('the office does not disable its own account', () => {
    given(accountDecider, officeCreated).when({ type: 'DisableAccount', reason: '调离', ctx: ctx(office) }).thenRefuses('cannot-disable-self', 'conflict');
  });

  describe.each(BLANKS)('required text, blank value %j', (blank) => {
    it('CreateAccount and ChangePassword need a password hash', () => {
      given(accountDecider).when(create({ passwordHash: blank })).thenRefuses('password-required', 'invalid', 'passwordHash');
      given(accountDecider, created).when({ type: 'ChangePassword', passwordHash: blank, ctx: ctx(office) }).thenRefuses('password-required', 'invalid', 'passwordHash');
    });
    it('DisableAccount needs a reason', () => {
      given(accountDecider, created).when({ type: 'DisableAccount', reason: blank, ctx: ctx(office) }).thenRefuses('reason-required', 'invalid', 'reason');
    });
  });
});
