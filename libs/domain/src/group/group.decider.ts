import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { assertOffice, requireDate, requireText } from '../shared/guards';
import type { LocalDate } from '../shared/local-date';
import type { GroupCommand } from './group.commands';
import type { GroupEvent } from './group.events';
import { effectiveDateOf, isMemberOn, memberOn } from './membership';

/**
 * The group keeps its whole (small) history: membership is asked "as of a date", and a dated change may
 * take effect before changes recorded earlier, so no single "current members" snapshot would do.
 */
export interface GroupState {
  seeded: boolean;
  history: GroupEvent[];
}

const latestEffectiveDate = (history: readonly GroupEvent[]): LocalDate =>
  history.reduce<LocalDate>((max, e) => (effectiveDateOf(e) > max ? effectiveDateOf(e) : max), '0000-01-01');

function assertSeeded(state: GroupState): void {
  if (!state.seeded) refuse('group-not-found', '协调小组尚未组建', 'not-found');
}

export const groupDecider: Decider<GroupCommand, GroupState, GroupEvent> = {
  initialState: { seeded: false, history: [] },

  decide(command, state) {
    const { actor } = command.ctx;
    switch (command.type) {
      case 'SeedGroup': {
        // seeded on first start by the system itself, or by the office
        assertOffice(actor, { allowSystem: true });
        if (state.seeded || state.history.length > 0) refuse('group-already-seeded', '协调小组成员已初始化');
        requireDate(command.establishedOn, 'establishedOn');
        if (command.members.length === 0) refuse('group-needs-members', '协调小组至少需要一个成员单位', 'invalid', 'members');
        const agencies = command.members.map((m) => m.agency);
        if (new Set(agencies).size !== agencies.length) refuse('duplicate-member', '成员单位重复', 'invalid', 'members');
        return command.members.map((m) => ({
          type: 'group.member-joined' as const,
          data: { agency: m.agency, name: m.name, groupRole: m.groupRole, joinedOn: command.establishedOn },
        }));
      }

      case 'AdmitMember': {
        assertOffice(actor);
        assertSeeded(state);
        requireDate(command.joinedOn, 'joinedOn');
        requireText(command.name, 'name', 'name-required', '单位名称');
        // a current member (today's latest picture) or a member on the joining date cannot join again
        if (isMemberOn(state.history, command.agency, command.joinedOn) || isMemberOn(state.history, command.agency, latestEffectiveDate(state.history))) {
          refuse('member-already-admitted', '该单位已是协调小组成员');
        }
        return [{ type: 'group.member-joined', data: { agency: command.agency, name: command.name, groupRole: command.groupRole, joinedOn: command.joinedOn } }];
      }

      case 'ChangeMemberRole': {
        assertOffice(actor);
        assertSeeded(state);
        requireDate(command.changedOn, 'changedOn');
        const member = memberOn(state.history, command.agency, command.changedOn);
        if (!member) return refuse('member-not-found', '该单位在该日期不是协调小组成员', 'not-found');
        if (member.groupRole === command.groupRole) return []; // already in that role: nothing to record
        return [{ type: 'group.member-role-changed', data: { agency: command.agency, groupRole: command.groupRole, changedOn: command.changedOn } }];
      }

      case 'RemoveMember': {
        assertOffice(actor);
        assertSeeded(state);
        requireDate(command.leftOn, 'leftOn');
        if (!isMemberOn(state.history, command.agency, command.leftOn)) refuse('member-not-found', '该单位在该日期不是协调小组成员', 'not-found');
        requireText(command.reason, 'reason', 'reason-required', '退出理由');
        return [{ type: 'group.member-left', data: { agency: command.agency, reason: command.reason, leftOn: command.leftOn } }];
      }

      default: {
        const unhandled: never = command;
        throw new Error(`unhandled group command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve(state, event) {
    return { seeded: true, history: [...state.history, event] };
  },
};
