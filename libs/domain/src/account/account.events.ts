import type { AgencyCode } from '../shared/agency';
import type { LeadershipRole, Role } from '../shared/actor';
import type { DomainEvent } from '../shared/decider';

export type AccountRole = Exclude<Role, 'system'>;
export const ACCOUNT_ROLES: readonly AccountRole[] = ['office', 'agency', 'leadership', 'auditor'];

/**
 * The password hash is confidential: it never leaves the account stream. `leadershipRole` was added later
 * (optional, schema version unchanged: older events simply lack it — an untitled leadership account).
 */
export type AccountCreated = DomainEvent<
  'account.created',
  { userId: string; username: string; role: AccountRole; agency?: AgencyCode; leadershipRole?: LeadershipRole }
> & { confidential: { passwordHash: string } };
export type AccountPasswordChanged = DomainEvent<'account.password-changed', { userId: string }> & {
  confidential: { passwordHash: string };
};
export type AccountDisabled = DomainEvent<'account.disabled', { userId: string; reason: string }>;

export type AccountEvent = AccountCreated | AccountPasswordChanged | AccountDisabled;
