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
  /** the person behind the account (姓名, 工作单位): optional; when given, 回避 applies to cases naming them */
  fullName?: string;
  unit?: string;
  passwordHash: string; // hashed outside the domain (scrypt); the decider never sees a password
}>;
export type ChangePassword = WithContext<{ type: 'ChangePassword'; passwordHash: string }>;
export type DisableAccount = WithContext<{ type: 'DisableAccount'; reason: string }>;
/** totpSecret generated outside the domain (random bytes are I/O); only the account's own user enrols. */
export type StartTotpEnrolment = WithContext<{ type: 'StartTotpEnrolment'; totpSecret: string }>;
/** The api has checked the code against the pending secret (that needs the clock); the decider checks the state. */
export type ConfirmTotpEnrolment = WithContext<{ type: 'ConfirmTotpEnrolment' }>;
export type ResetTotp = WithContext<{ type: 'ResetTotp'; reason: string }>;
export type AccountCommand = CreateAccount | ChangePassword | DisableAccount | StartTotpEnrolment | ConfirmTotpEnrolment | ResetTotp;
