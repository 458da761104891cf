import type { AgencyCode, GroupRole } from '../shared/agency';
import type { WithContext } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';

export type SeedGroup = WithContext<{
  type: 'SeedGroup';
  establishedOn: LocalDate;
  members: { agency: AgencyCode; name: string; groupRole: GroupRole }[];
}>;
export type AdmitMember = WithContext<{ type: 'AdmitMember'; agency: AgencyCode; name: string; groupRole: GroupRole; joinedOn: LocalDate }>;
export type ChangeMemberRole = WithContext<{ type: 'ChangeMemberRole'; agency: AgencyCode; groupRole: GroupRole; changedOn: LocalDate }>;
export type RemoveMember = WithContext<{ type: 'RemoveMember'; agency: AgencyCode; reason: string; leftOn: LocalDate }>;

export type GroupCommand = SeedGroup | AdmitMember | ChangeMemberRole | RemoveMember;
