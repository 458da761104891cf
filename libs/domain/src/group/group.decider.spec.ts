import { SEED_AGENCIES } from '../shared/agency';
import { given } from '../testing/given-when-then';
import { audit, ctx, leadership, office, system } from '../testing/fixtures';
import { groupDecider } from './group.decider';
import type { GroupCommand } from './group.commands';
import type { GroupEvent } from './group.events';
import { isMemberOn, membershipAsOf } from './membership';

const joined = (agency: string, groupRole: 'leader' | 'deputy' | 'member', joinedOn: string, name = agency): GroupEvent => ({
  type: 'group.member-joined',
  data: { agency, name, groupRole, joinedOn },
});
const left = (agency: string, leftOn: string): GroupEvent => ({ type: 'group.member-left', data: { agency, reason: '机构改革', leftOn } });
const roleChanged = (agency: string, groupRole: 'leader' | 'deputy' | 'member', changedOn: string): GroupEvent => ({
  type: 'group.member-role-changed',
  data: { agency, groupRole, changedOn },
});

const seeded = [joined('discipline-commission', 'leader', '2026-01-01'), joined('audit-bureau', 'member', '2026-01-01')];

describe('groupDecider', () => {
  it('SeedGroup on an empty stream emits one member-joined per seed agency', () => {
    const command: GroupCommand = {
      type: 'SeedGroup',
      establishedOn: '2026-01-01',
      members: SEED_AGENCIES.map((a) => ({ agency: a.code, name: a.name, groupRole: a.groupRole })),
      ctx: ctx(system),
    };
    const events = given(groupDecider).when(command).then(SEED_AGENCIES.map((a) => joined(a.code, a.groupRole, '2026-01-01', a.name)));
    expect(events).toHaveLength(10);
  });

  it('SeedGroup only once, by the system or the office', () => {
    const command: GroupCommand = { type: 'SeedGroup', establishedOn: '2026-01-01', members: [{ agency: 'court', name: '县人民法院', groupRole: 'member' }], ctx: ctx(office) };
    given(groupDecider, ...seeded).when(command).thenRefuses('group-already-seeded', 'conflict');
    given(groupDecider).when({ ...command, ctx: ctx(audit) }).thenRefuses('office-only', 'forbidden');
    given(groupDecider).when({ ...command, ctx: ctx(leadership) }).thenRefuses('read-only-role', 'forbidden');
    given(groupDecider).when({ ...command, members: [] }).thenRefuses('group-needs-members', 'invalid', 'members');
  });

  it('commands before seeding: the group is not found', () => {
    given(groupDecider)
      .when({ type: 'AdmitMember', agency: 'court', name: '县人民法院', groupRole: 'member', joinedOn: '2026-02-01', ctx: ctx(office) })
      .thenRefuses('group-not-found', 'not-found');
  });

  describe('AdmitMember', () => {
    const admit = (agency: string, joinedOn: string, actor = office): GroupCommand => ({ type: 'AdmitMember', agency, name: '县人民法院', groupRole: 'member', joinedOn, ctx: ctx(actor) });

    it('admits a new agency from a date', () => {
      given(groupDecider, ...seeded).when(admit('court', '2026-02-01')).then([joined('court', 'member', '2026-02-01', '县人民法院')]);
    });

    it('cannot admit a current member', () => {
      given(groupDecider, ...seeded).when(admit('audit-bureau', '2026-02-01')).thenRefuses('member-already-admitted', 'conflict');
      // nor back-date a second membership for an agency that is a member now
      given(groupDecider, joined('discipline-commission', 'leader', '2026-01-01'), joined('court', 'member', '2026-03-01')).when(admit('court', '2026-02-01')).thenRefuses('member-already-admitted');
    });

    it('may re-admit an agency that left', () => {
      given(groupDecider, ...seeded, left('audit-bureau', '2026-02-01')).when(admit('audit-bureau', '2026-03-01')).then([joined('audit-bureau', 'member', '2026-03-01', '县人民法院')]);
    });

    it('office only', () => {
      given(groupDecider, ...seeded).when(admit('court', '2026-02-01', audit)).thenRefuses('office-only', 'forbidden');
    });
  });

  describe('ChangeMemberRole / RemoveMember', () => {
    it('changes a member role from a date; the same role is a no-op', () => {
      const change = (groupRole: 'deputy' | 'member'): GroupCommand => ({ type: 'ChangeMemberRole', agency: 'audit-bureau', groupRole, changedOn: '2026-02-01', ctx: ctx(office) });
      given(groupDecider, ...seeded).when(change('deputy')).then([roleChanged('audit-bureau', 'deputy', '2026-02-01')]);
      given(groupDecider, ...seeded).when(change('member')).thenNothing();
    });

    it('cannot change the role of a non-member', () => {
      given(groupDecider, ...seeded)
        .when({ type: 'ChangeMemberRole', agency: 'court', groupRole: 'deputy', changedOn: '2026-02-01', ctx: ctx(office) })
        .thenRefuses('member-not-found', 'not-found');
    });

    it('removes a member from a date, with a reason', () => {
      const remove = (agency: string, reason = '机构改革'): GroupCommand => ({ type: 'RemoveMember', agency, reason, leftOn: '2026-02-01', ctx: ctx(office) });
      given(groupDecider, ...seeded).when(remove('audit-bureau')).then([left('audit-bureau', '2026-02-01')]);
      given(groupDecider, ...seeded).when(remove('court')).thenRefuses('member-not-found', 'not-found');
      given(groupDecider, ...seeded, left('audit-bureau', '2026-01-15')).when(remove('audit-bureau')).thenRefuses('member-not-found');
      given(groupDecider, ...seeded).when(remove('audit-bureau', ' ')).thenRefuses('reason-required', 'invalid', 'reason');
    });
  });
});

describe('membershipAsOf (成员名单以某日为准)', () => {
  const history: GroupEvent[] = [
    ...seeded,
    joined('court', 'member', '2026-03-01'), // joined later
    left('audit-bureau', '2026-06-01'), // left
    roleChanged('court', 'deputy', '2026-05-01'), // role changed
  ];
  const roles = (date: string) => membershipAsOf(history, date).map((m) => `${m.agency}:${m.groupRole}`);

  it('before the group existed there are no members', () => {
    expect(roles('2025-12-31')).toEqual([]);
  });

  it('an agency that joined later is not a member before its joining date, and is from it', () => {
    expect(roles('2026-02-28')).toEqual(['discipline-commission:leader', 'audit-bureau:member']);
    expect(roles('2026-03-01')).toEqual(['discipline-commission:leader', 'audit-bureau:member', 'court:member']);
  });

  it('a role change applies from its date', () => {
    expect(roles('2026-04-30')).toContain('court:member');
    expect(roles('2026-05-01')).toContain('court:deputy');
  });

  it('an agency that left is not a member on or after its leaving date', () => {
    expect(isMemberOn(history, 'audit-bureau', '2026-05-31')).toBe(true);
    expect(isMemberOn(history, 'audit-bureau', '2026-06-01')).toBe(false);
    expect(roles('2026-06-01')).toEqual(['discipline-commission:leader', 'court:deputy']);
  });

  it('orders events by effective date whatever order they were recorded in (back-dated changes)', () => {
    const recordedLate = [left('court', '2026-09-01'), roleChanged('court', 'deputy', '2026-04-01'), joined('court', 'member', '2026-02-01')];
    expect(membershipAsOf(recordedLate, '2026-03-01')).toEqual([{ agency: 'court', name: 'court', groupRole: 'member', joinedOn: '2026-02-01' }]);
    expect(membershipAsOf(recordedLate, '2026-05-01')).toEqual([{ agency: 'court', name: 'court', groupRole: 'deputy', joinedOn: '2026-02-01' }]);
    expect(membershipAsOf(recordedLate, '2026-09-01')).toEqual([]);
  });

  it('changes on the same date apply in recorded order (stable)', () => {
    const sameDay = [joined('court', 'member', '2026-02-01'), left('court', '2026-02-01'), joined('court', 'deputy', '2026-02-01')];
    expect(membershipAsOf(sameDay, '2026-02-01')).toEqual([{ agency: 'court', name: 'court', groupRole: 'deputy', joinedOn: '2026-02-01' }]);
  });
});
