import { given } from '../testing/given-when-then';
import { audit, ctx, leadership, office, system } from '../testing/fixtures';
import type { Actor } from '../shared/actor';
import { supervisionDecider } from '../supervision/supervision.decider';
import type { SupervisionCommand } from '../supervision/supervision.commands';
import type { SupervisionEvent } from '../supervision/supervision.events';

const DUE = '2026-03-31';
const opened: SupervisionEvent = {
  type: 'supervision.opened',
  data: { itemId: 'S1', itemNo: 'DB-2026-0003', title: '督促审计局整改补贴问题', origin: 'meeting-decision', assigneeAgency: 'audit-bureau', dueOn: DUE, openedOn: '2026-03-02' },
};
const remind = (step: string, today: string, dueOn = DUE, actor: Actor = system): SupervisionCommand => ({ type: 'RemindSupervisionItem', step, dueOn, ctx: ctx(actor, today) });
const escalate = (step: string, level: number, today: string, dueOn = DUE, actor: Actor = system): SupervisionCommand => ({
  type: 'EscalateSupervisionItem',
  step,
  level,
  dueOn,
  ctx: ctx(actor, today),
});
const facts = { itemId: 'S1', dueOn: DUE, agency: 'audit-bureau', ref: 'DB-2026-0003', title: '督促审计局整改补贴问题' };
const reminded = (step: string, on: string, dueOn = DUE): SupervisionEvent => ({ type: 'supervision.reminder-sent', data: { ...facts, dueOn, step, remindedOn: on } });
const escalated = (step: string, level: number, on: string, daysOverdue: number): SupervisionEvent => ({
  type: 'supervision.escalated',
  data: { ...facts, step, level, toRole: 'group-leader', daysOverdue, escalatedOn: on },
});

describe('supervision reminders and escalation (催办与升级督办)', () => {
  it('the scheduler reminds the assignee before the due date', () => {
    given(supervisionDecider, opened).when(remind('before-3', '2026-03-26')).then([reminded('before-3', '2026-03-26')]);
  });

  it('on the due date itself a reminder is still a reminder', () => {
    given(supervisionDecider, opened).when(remind('before-0', DUE)).then([reminded('before-0', DUE)]);
  });

  it('after the due date it escalates to the group leader with the days overdue', () => {
    given(supervisionDecider, opened).when(escalate('after-5', 2, '2026-04-05')).then([escalated('after-5', 2, '2026-04-05', 5)]);
  });

  it('the same rung for the same due date fires once: a repeat is a no-op', () => {
    given(supervisionDecider, opened, reminded('before-3', '2026-03-26')).when(remind('before-3', '2026-03-27')).thenNothing();
    given(supervisionDecider, opened, escalated('after-1', 1, '2026-04-01', 1)).when(escalate('after-1', 1, '2026-04-02')).thenNothing();
  });

  it('another rung still fires after the first', () => {
    given(supervisionDecider, opened, reminded('before-3', '2026-03-26')).when(remind('before-1', '2026-03-30')).then([reminded('before-1', '2026-03-30')]);
  });

  it('a stale due date (the item was extended meanwhile) is a no-op; the new due date starts the ladder again', () => {
    const extended: SupervisionEvent = {
      type: 'supervision.extension-approved',
      data: { itemId: 'S1', requestId: 'E1', previousDueOn: DUE, newDueOn: '2026-04-30', approvedOn: '2026-03-20' },
    };
    const history = [opened, reminded('before-3', '2026-03-26'), extended];
    given(supervisionDecider, ...history).when(remind('before-1', '2026-03-30')).thenNothing();
    given(supervisionDecider, ...history).when(remind('before-3', '2026-04-27', '2026-04-30')).then([reminded('before-3', '2026-04-27', '2026-04-30')]);
  });

  it('nothing is chased once the item is closed or while its result awaits review', () => {
    const reported: SupervisionEvent = { type: 'supervision.result-reported', data: { itemId: 'S1', resultId: 'R1', summary: '已整改', agency: 'audit-bureau', reportedOn: '2026-03-20' } };
    const accepted: SupervisionEvent = { type: 'supervision.result-accepted', data: { itemId: 'S1', resultId: 'R1', comment: '同意', reviewedOn: '2026-03-21' } };
    const closed: SupervisionEvent = { type: 'supervision.closed', data: { itemId: 'S1', closedOn: '2026-03-21' } };
    given(supervisionDecider, opened, reported).when(remind('before-3', '2026-03-26')).thenNothing();
    given(supervisionDecider, opened, reported, accepted, closed).when(escalate('after-1', 1, '2026-04-01')).thenNothing();
  });

  it('an unknown item is not found', () => {
    given(supervisionDecider).when(remind('before-3', '2026-03-26')).thenRefuses('supervision-not-found', 'not-found');
  });

  it('the office may chase by hand; agencies and readers may not', () => {
    given(supervisionDecider, opened).when(remind('manual', '2026-03-26', DUE, office)).then([reminded('manual', '2026-03-26')]);
    given(supervisionDecider, opened).when(remind('before-3', '2026-03-26', DUE, audit)).thenRefuses('office-only', 'forbidden');
    given(supervisionDecider, opened).when(remind('before-3', '2026-03-26', DUE, leadership)).thenRefuses('read-only-role', 'forbidden');
  });

  it('a reminder after the due date, or an escalation before it, is refused (the ladder is in the wrong order)', () => {
    given(supervisionDecider, opened).when(remind('before-1', '2026-04-01')).thenRefuses('already-overdue', 'conflict', 'dueOn');
    given(supervisionDecider, opened).when(escalate('after-1', 1, DUE)).thenRefuses('not-overdue', 'conflict', 'dueOn');
  });

  it('refuses an empty step, a bad date and a non-positive level', () => {
    given(supervisionDecider, opened).when(remind(' ', '2026-03-26')).thenRefuses('step-required', 'invalid', 'step');
    given(supervisionDecider, opened).when(remind('before-3', '2026-03-26', '2026-02-30')).thenRefuses('date-invalid', 'invalid', 'dueOn');
    given(supervisionDecider, opened).when(escalate('after-1', 0, '2026-04-01')).thenRefuses('level-invalid', 'invalid', 'level');
  });
});
