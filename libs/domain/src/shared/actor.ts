import type { AgencyCode } from './agency';
import type { LocalDate } from './local-date';

export type Role = 'office' | 'agency' | 'leadership' | 'auditor' | 'system';

/**
 * A leadership account's title in the group: 组长 (the group leader, who signs 《案情专报》), 副组长, or a
 * reader (县委 leaders who receive the group's documents). Optional: accounts created before titles existed
 * have none and are treated as readers wherever a title matters (fail closed).
 */
export type LeadershipRole = 'group-leader' | 'deputy' | 'reader';
export const LEADERSHIP_ROLES: readonly LeadershipRole[] = ['group-leader', 'deputy', 'reader'];

/** Who takes a step. Recorded on every event ("全程登记备查"). */
export interface Actor {
  userId: string;
  username: string;
  role: Role;
  /** set for role 'agency' (the one agency the user acts for); office users act for the discipline commission */
  agency?: AgencyCode;
  /** set only for role 'leadership' accounts that were given a title (see LeadershipRole) */
  leadershipRole?: LeadershipRole;
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
