import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { audit, ctx, office } from '../testing/fixtures';
import { accountDecider } from './account.decider';
import type { AccountEvent } from './account.events';

const self: Actor = { userId: 'U7', username: 'audit-li', role: 'agency', agency: 'audit-bureau' };
const created: AccountEvent = {
  type: 'account.created',
  data: { userId: 'U7', username: 'audit-li', role: 'agency', agency: 'audit-bureau' },
  confidential: { passwordHash: 'scrypt$abc' },
};
const started: AccountEvent = { type: 'account.totp-enrolment-started', data: { userId: 'U7' }, confidential: { totpSecret: 'JBSWY3DPEHPK3PXP' } };
const enabled: AccountEvent = { type: 'account.totp-enabled', data: { userId: 'U7' } };
const start = (actor: Actor, totpSecret = 'JBSWY3DPEHPK3PXP') => ({ type: 'StartTotpEnrolment' as const, totpSecret, ctx: ctx(actor) });
const confirm = (actor: Actor) => ({ type: 'ConfirmTotpEnrolment' as const, ctx: ctx(actor) });
const reset = (actor: Actor, reason = '手机遗失') => ({ type: 'ResetTotp' as const, reason, ctx: ctx(actor) });

describe('accountDecider: TOTP second factor', () => {
  it('the user starts an enrolment; the secret is confidential', () => {
    given(accountDecider, created).when(start(self)).then([started]);
  });

  it('only the account’s own user enrols, not the office', () => {
    given(accountDecider, created).when(start(office)).thenRefuses('own-account-only', 'forbidden');
    given(accountDecider, created, started).when(confirm(audit)).thenRefuses('own-account-only', 'forbidden');
  });

  it('a restarted enrolment replaces a pending one; an enabled factor is not replaced', () => {
    given(accountDecider, created, started).when(start(self, 'KRSXG5DSMFXGOZLS')).then([{ ...started, confidential: { totpSecret: 'KRSXG5DSMFXGOZLS' } } as AccountEvent]);
    given(accountDecider, created, started, enabled).when(start(self)).thenRefuses('totp-already-enabled', 'conflict');
  });

  it('confirmation needs a pending enrolment, once', () => {
    given(accountDecider, created, started).when(confirm(self)).then([enabled]);
    given(accountDecider, created).when(confirm(self)).thenRefuses('totp-enrolment-not-started', 'conflict');
    given(accountDecider, created, started, enabled).when(confirm(self)).thenRefuses('totp-already-enabled', 'conflict');
  });

  it('a blank secret is refused on totpSecret', () => {
    given(accountDecider, created).when(start(self, ' ')).thenRefuses('totp-secret-required', 'invalid', 'totpSecret');
  });

  it('not for a disabled or unknown account', () => {
    const disabled: AccountEvent = { type: 'account.disabled', data: { userId: 'U7', reason: '离职' } };
    given(accountDecider, created, disabled).when(start(self)).thenRefuses('account-disabled');
    given(accountDecider).when(start(self)).thenRefuses('account-not-found', 'not-found');
  });

  it('the office removes a factor (pending or enabled) with a reason; then the user may enrol again', () => {
    given(accountDecider, created, started, enabled).when(reset(office)).then([{ type: 'account.totp-reset', data: { userId: 'U7', reason: '手机遗失' } }]);
    given(accountDecider, created, started).when(reset(office)).then([{ type: 'account.totp-reset', data: { userId: 'U7', reason: '手机遗失' } }]);
    given(accountDecider, created).when(reset(office)).thenRefuses('totp-not-enabled', 'conflict');
    given(accountDecider, created, started, enabled).when(reset(self)).thenRefuses('office-only', 'forbidden');
    given(accountDecider, created, started, enabled).when(reset(office, '')).thenRefuses('reason-required', 'invalid', 'reason');
    given(accountDecider, created, started, enabled, { type: 'account.totp-reset', data: { userId: 'U7', reason: 'x' } }).when(start(self)).then([started]);
  });
});
