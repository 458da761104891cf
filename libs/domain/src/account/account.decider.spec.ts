import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { audit, ctx, leadership, office, system } from '../testing/fixtures';
import { accountDecider } from './account.decider';
import type { AccountCommand } from './account.commands';
import type { AccountEvent } from './account.events';

const create = (actor: Actor, extra: Partial<Extract<AccountCommand, { type: 'CreateAccount' }>> = {}): AccountCommand => ({
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
const self: Actor = { userId: 'U7', username: 'audit-li', role: 'agency', agency: 'audit-bureau' };

describe('accountDecider', () => {
  describe('CreateAccount', () => {
    it('the office creates an agency user; the password hash is confidential', () => {
      given(accountDecider).when(create(office)).then([created]);
    });

    it('the system creates the first admin office account', () => {
      given(accountDecider)
        .when(create(system, { userId: 'U1', username: 'admin', role: 'office', agency: undefined }))
        .then([{ type: 'account.created', data: { userId: 'U1', username: 'admin', role: 'office' }, confidential: { passwordHash: 'scrypt$abc' } }]);
    });

    it('only the office or the system', () => {
      given(accountDecider).when(create(audit)).thenRefuses('office-only', 'forbidden');
      given(accountDecider).when(create(leadership)).thenRefuses('read-only-role', 'forbidden');
    });

    it('an agency user needs an agency; other roles must not have one', () => {
      given(accountDecider).when(create(office, { agency: undefined })).thenRefuses('account-agency-required', 'invalid', 'agency');
      given(accountDecider).when(create(office, { role: 'leadership' })).thenRefuses('account-agency-not-allowed', 'invalid', 'agency');
    });

    it('a leadership account may carry its title (组长 / 副组长 / 阅知), recorded on account.created', () => {
      given(accountDecider)
        .when(create(office, { username: 'leader-zhang', role: 'leadership', agency: undefined, leadershipRole: 'group-leader' }))
        .then([
          {
            type: 'account.created',
            data: { userId: 'U7', username: 'leader-zhang', role: 'leadership', leadershipRole: 'group-leader' },
            confidential: { passwordHash: 'scrypt$abc' },
          },
        ]);
      // the title is optional (backward compatible): an untitled leadership account records none
      given(accountDecider)
        .when(create(office, { username: 'reader-wang', role: 'leadership', agency: undefined }))
        .then([{ type: 'account.created', data: { userId: 'U7', username: 'reader-wang', role: 'leadership' }, confidential: { passwordHash: 'scrypt$abc' } }]);
    });

    it('a title is refused for non-leadership roles and outside the closed list, naming leadershipRole', () => {
      given(accountDecider).when(create(office, { leadershipRole: 'deputy' })).thenRefuses('leadership-role-not-allowed', 'invalid', 'leadershipRole');
      given(accountDecider)
        .when(create(office, { role: 'leadership', agency: undefined, leadershipRole: 'emperor' as never }))
        .thenRefuses('leadership-role-invalid', 'invalid', 'leadershipRole');
    });

    it('the title survives in the account state (what login reads)', () => {
      const titled: AccountEvent = {
        type: 'account.created',
        data: { userId: 'U8', username: 'deputy-li', role: 'leadership', leadershipRole: 'deputy' },
        confidential: { passwordHash: 'h' },
      };
      expect(accountDecider.evolve(accountDecider.initialState, titled)).toEqual({ status: 'active', userId: 'U8', username: 'deputy-li', role: 'leadership', leadershipRole: 'deputy' });
    });

    it('a taken username is refused', () => {
      given(accountDecider, created).when(create(office)).thenRefuses('account-exists', 'conflict');
    });
  });

  describe('ChangePassword', () => {
    const change = (actor: Actor): AccountCommand => ({ type: 'ChangePassword', passwordHash: 'scrypt$new', ctx: ctx(actor) });
    const changed: AccountEvent = { type: 'account.password-changed', data: { userId: 'U7' }, confidential: { passwordHash: 'scrypt$new' } };

    it('the user changes their own password, or the office resets it', () => {
      given(accountDecider, created).when(change(self)).then([changed]);
      given(accountDecider, created).when(change(office)).then([changed]);
    });

    it('another user may not', () => {
      given(accountDecider, created).when(change(audit)).thenRefuses('office-only', 'forbidden');
    });

    it('not for an unknown or disabled account', () => {
      given(accountDecider).when(change(office)).thenRefuses('account-not-found', 'not-found');
      given(accountDecider, created, { type: 'account.disabled', data: { userId: 'U7', reason: '离职' } }).when(change(self)).thenRefuses('account-disabled');
    });
  });

  describe('DisableAccount', () => {
    const disable = (actor: Actor): AccountCommand => ({ type: 'DisableAccount', reason: '离职', ctx: ctx(actor) });
    const disabled: AccountEvent = { type: 'account.disabled', data: { userId: 'U7', reason: '离职' } };

    it('the office disables an account once', () => {
      given(accountDecider, created).when(disable(office)).then([disabled]);
      given(accountDecider, created, disabled).when(disable(office)).thenRefuses('account-disabled', 'conflict');
    });

    it('not by the user, not an unknown account, not oneself', () => {
      given(accountDecider, created).when(disable(self)).thenRefuses('office-only', 'forbidden');
      given(accountDecider).when(disable(office)).thenRefuses('account-not-found', 'not-found');
      given(accountDecider, { ...created, data: { userId: 'u-office', username: 'office', role: 'office' } } as AccountEvent)
        .when(disable(office))
        .thenRefuses('cannot-disable-self');
    });
  });
});
