import type { LeadershipRole } from '../shared/actor';
import type { AgencyCode } from '../shared/agency';
import type { WithContext } from '../shared/decider';
import type { AccountRole } from './account.events';

export type CreateAccount = WithContext<{
  type: 'CreateAccount';
  userId: string;
  username: string;
  role: AccountRole;
  agency?: AgencyCode;
  /** only for role 'leadership': 组长 / 副组长 / 阅知 */
  leadershipRole?: LeadershipRole;
  passwordHash: string; // hashed outside the domain (scrypt); the decider never sees a password
}>;
export type ChangePassword = WithContext<{ type: 'ChangePassword'; passwordHash: string }>;
export type DisableAccount = WithContext<{ type: 'DisableAccount'; reason: string }>;
export type AccountCommand = CreateAccount | ChangePassword | DisableAccount;
