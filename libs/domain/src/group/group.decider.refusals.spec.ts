import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { ctx, office } from '../testing/fixtures';
import { groupDecider } from './group.decider';
import type { GroupCommand } from './group.commands';
import type { GroupEvent } from './group.events';

/** Refusals of the group decider that group.decider.spec.ts does not pin down to code, kind AND field. */
const BLANKS = ['', '  \t\u3000'];
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };
const joined = (agency: string, groupRole: 'leader' | 'member'): GroupEvent => ({
  type: 'group.member-joined',
  data: { agency, name: agency, groupRole, joinedOn: '2026-01-01' },
});
const seeded = [joined('discipline-commission', 'leader'), joined('audit-bureau', 'member')];
const seed = (members: Extract<GroupCommand, { type: 'SeedGroup' }>['members'], establishedOn = '2026-01-01', actor: Actor = office): GroupCommand => ({
  type: 'SeedGroup',
  establishedOn,
  members,
  ctx: ctx(actor),
});
const court = { agency: 'court', name: '县人民法院', groupRole: 'member' as const };

describe('groupDecider refusals (code, kind and field)', () => {
  it('an agency user bound to no agency writes nothing', () => {
    given(groupDecider).when(seed([court], '2026-01-01', agencyWithoutAgency)).thenRefuses('agency-missing', 'forbidden');
  });

  it('the same agency twice in the seed list is refused on members', () => {
    given(groupDecider).when(seed([court, { ...court, groupRole: 'leader' }])).thenRefuses('duplicate-member', 'invalid', 'members');
  });

  it('every membership date must be a date, refused on its own field', () => {
    given(groupDecider).when(seed([court], '2026-1-1')).thenRefuses('date-invalid', 'invalid', 'establishedOn');
    given(groupDecider, ...seeded)
      .when({ type: 'AdmitMember', agency: 'court', name: '县人民法院', groupRole: 'member', joinedOn: 'soon', ctx: ctx(office) })
      .thenRefuses('date-invalid', 'invalid', 'joinedOn');
    given(groupDecider, ...seeded)
      .when({ type: 'ChangeMemberRole', agency: 'audit-bureau', groupRole: 'deputy', changedOn: 'soon', ctx: ctx(office) })
      .thenRefuses('date-invalid', 'invalid', 'changedOn');
    given(groupDecider, ...seeded)
      .when({ type: 'RemoveMember', agency: 'audit-bureau', reason: '机构改革', leftOn: 'soon', ctx: ctx(office) })
      .thenRefuses('date-invalid', 'invalid', 'leftOn');
  });

  describe.each(BLANKS)('required text, blank value %j', (blank) => {
    it('AdmitMember needs the agency name', () => {
      given(groupDecider, ...seeded)
        .when({ type: 'AdmitMember', agency: 'court', name: blank, groupRole: 'member', joinedOn: '2026-03-01', ctx: ctx(office) })
        .thenRefuses('name-required', 'invalid', 'name');
    });
    it('RemoveMember needs a reason', () => {
      given(groupDecider, ...seeded)
        .when({ type: 'RemoveMember', agency: 'audit-bureau', reason: blank, leftOn: '2026-03-01', ctx: ctx(office) })
        .thenRefuses('reason-required', 'invalid', 'reason');
    });
  });
});
