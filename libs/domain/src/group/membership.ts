import type { AgencyCode, GroupRole } from '../shared/agency';
import type { LocalDate } from '../shared/local-date';
import type { GroupEvent } from './group.events';

export interface Member {
  agency: AgencyCode;
  name: string;
  groupRole: GroupRole;
  joinedOn: LocalDate;
}

/** The date from which a membership change takes effect. */
export const effectiveDateOf = (event: GroupEvent): LocalDate => {
  switch (event.type) {
    case 'group.member-joined':
      return event.data.joinedOn;
    case 'group.member-role-changed':
      return event.data.changedOn;
    case 'group.member-left':
      return event.data.leftOn;
  }
};

/**
 * The group's members with the role each held on `date` (quorum for a 联席会议 is counted against the
 * members on the meeting date, not today's). Changes are recorded when they are decided, which need not
 * be the order in which they take effect (a back-dated admission), so events are ordered by effective
 * date; a stable sort keeps the recorded order for changes that take effect the same day. A change takes
 * effect ON its date: a member who left on D is no longer a member on D.
 */
export function membershipAsOf(events: readonly GroupEvent[], date: LocalDate): Member[] {
  const ordered = events
    .map((event, index) => ({ event, index, on: effectiveDateOf(event) }))
    .filter((e) => e.on <= date)
    .sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.index - b.index));
  const members = new Map<AgencyCode, Member>();
  for (const { event } of ordered) {
    switch (event.type) {
      case 'group.member-joined':
        members.set(event.data.agency, { agency: event.data.agency, name: event.data.name, groupRole: event.data.groupRole, joinedOn: event.data.joinedOn });
        break;
      case 'group.member-role-changed': {
        const member = members.get(event.data.agency);
        if (member) members.set(member.agency, { ...member, groupRole: event.data.groupRole });
        break;
      }
      case 'group.member-left':
        members.delete(event.data.agency);
        break;
    }
  }
  return [...members.values()];
}

export const isMemberOn = (events: readonly GroupEvent[], agency: AgencyCode, date: LocalDate): boolean =>
  membershipAsOf(events, date).some((m) => m.agency === agency);

/** The member's record on `date`, if it was a member then. */
export const memberOn = (events: readonly GroupEvent[], agency: AgencyCode, date: LocalDate): Member | undefined =>
  membershipAsOf(events, date).find((m) => m.agency === agency);
