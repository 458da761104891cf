import type { AgencyCode } from '../shared/agency';
import type { Role } from '../shared/actor';
import type { DomainEvent } from '../shared/decider';

export type AccountRole = Exclude<Role, 'system'>;
export const ACCOUNT_ROLES: readonly AccountRole[] = ['office', 'agency', 'leadership', 'auditor'];

/** The password hash is confidential: it never leaves the account stream. */
export type AccountCreated = DomainEvent<
  'account.created',
  { userId: string; username: string; role: AccountRole; agency?: AgencyCode }
> & { confidential: { passwordHash: string } };
export type AccountPasswordChanged = DomainEvent<'account.password-changed', { userId: string }> & {
  confidential: { passwordHash: string };
};
export type AccountDisabled = DomainEvent<'account.disabled', { userId: string; reason: string }>;

export type AccountEvent = AccountCreated | AccountPasswordChanged | AccountDisabled;
