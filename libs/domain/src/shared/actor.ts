import type { AgencyCode } from './agency';
import type { LocalDate } from './local-date';

export type Role = 'office' | 'agency' | 'leadership' | 'auditor' | 'system';

/** Who takes a step. Recorded on every event ("全程登记备查"). */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  /** set for role 'agency' (the one agency the user acts for); office users act for the discipline commission */
  agency?: AgencyCode;
}

/**
 * What every command carries besides its own fields: the actor, the instant it was issued and the
 * Asia/Shanghai business date of that instant. Deciders never read a clock; they read these.
 */
export interface CommandContext {
  actor: Actor;
  /** ISO-8601 instant */
  at: string;
  /** Asia/Shanghai calendar date of `at` */
  today: LocalDate;
}
