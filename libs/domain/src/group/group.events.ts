import type { AgencyCode, GroupRole } from '../shared/agency';
import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';

/** Membership of the coordination group changes over time; every change is dated (effective date). */
export type GroupMemberJoined = DomainEvent<
  'group.member-joined',
  { agency: AgencyCode; name: string; groupRole: GroupRole; joinedOn: LocalDate }
>;
export type GroupMemberRoleChanged = DomainEvent<
  'group.member-role-changed',
  { agency: AgencyCode; groupRole: GroupRole; changedOn: LocalDate }
>;
export type GroupMemberLeft = DomainEvent<'group.member-left', { agency: AgencyCode; reason: string; leftOn: LocalDate }>;

export type GroupEvent = GroupMemberJoined | GroupMemberRoleChanged | GroupMemberLeft;
