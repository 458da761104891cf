import type { AgencyCode } from '../shared/agency';
import type { WithContext } from '../shared/decider';
import type { AccountRole } from './account.events';

export type CreateAccount = WithContext<{
  type: 'CreateAccount';
  userId: string;
  username: string;
  role: AccountRole;
  agency?: AgencyCode;
  passwordHash: string; // hashed outside the domain (scrypt); the decider never sees a password
}>;
export type ChangePassword = WithContext<{ type: 'ChangePassword'; passwordHash: string }>;
export type DisableAccount = WithContext<{ type: 'DisableAccount'; reason: string }>;
export type AccountCommand = CreateAccount | ChangePassword | DisableAccount;
