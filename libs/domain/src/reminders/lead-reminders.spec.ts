import { given } from '../testing/given-when-then';
import { ctx, police, system } from '../testing/fixtures';
import type { Actor } from '../shared/actor';
import { leadDecider } from '../lead/lead.decider';
import type { LeadCommand } from '../lead/lead.commands';
import type { LeadEvent } from '../lead/lead.events';
import type { TransferClock } from './reminder.events';

const registered: LeadEvent = {
  type: 'lead.registered',
  data: {
    leadId: 'L1',
    ledgerNo: 'LC-2026-0042',
    source: 'audit-finding',
    reportingAgency: 'audit-bureau',
    subject: { name: '王某某', post: '局长', unit: '县住建局' },
    allegation: '收受好处费',
    receivedOn: '2026-03-02',
    important: true,
    hasInformant: true,
  },
  confidential: { informant: { name: '举报人甲', contact: '13800000000' } },
};
const transferred: LeadEvent = {
  type: 'lead.transferred',
  data: { leadId: 'L1', transferId: 'T1', fromAgency: 'audit-bureau', toAgency: 'public-security', letterNo: '审移〔2026〕1号', reason: '管辖', transferredOn: '2026-03-02' },
};
const acknowledged: LeadEvent = { type: 'lead.transfer-acknowledged', data: { leadId: 'L1', transferId: 'T1', agency: 'public-security', acknowledgedOn: '2026-03-03' } };
const accepted: LeadEvent = { type: 'lead.transfer-accepted', data: { leadId: 'L1', transferId: 'T1', agency: 'public-security', acceptedOn: '2026-03-04' } };
const decided = (method: 'talk-inquiry' | 'hold-pending'): LeadEvent => ({
  type: 'lead.disposition-decided',
  data: { leadId: 'L1', method, rationale: '依规', agency: 'audit-bureau', decidedOn: '2026-03-02' },
});
const concluded: LeadEvent = { type: 'lead.disposition-concluded', data: { leadId: 'L1', method: 'talk-inquiry', conclusion: '已函询', concludedOn: '2026-03-20' } };

const base = { leadId: 'L1', ref: 'LC-2026-0042', title: '王某某（县住建局局长）' };
const remindTransfer = (clock: TransferClock, step: string, today: string, dueOn: string, actor: Actor = system): LeadCommand => ({
  type: 'RemindLeadTransfer',
  transferId: 'T1',
  clock,
  step,
  dueOn,
  ctx: ctx(actor, today),
});
const escalateTransfer = (clock: TransferClock, step: string, level: number, today: string, dueOn: string): LeadCommand => ({
  type: 'EscalateLeadTransfer',
  transferId: 'T1',
  clock,
  step,
  level,
  dueOn,
  ctx: ctx(system, today),
});

describe('lead clock reminders and escalation (移送、处置时限催办)', () => {
  describe('transfers', () => {
    it('an unacknowledged transfer: the receiving agency is reminded about 签收', () => {
      given(leadDecider, registered, transferred)
        .when(remindTransfer('acknowledgement', 'before-1', '2026-03-06', '2026-03-09'))
        .then([
          {
            type: 'lead.transfer-reminder-sent',
            data: { ...base, transferId: 'T1', clock: 'acknowledgement', step: 'before-1', dueOn: '2026-03-09', agency: 'public-security', remindedOn: '2026-03-06' },
          },
        ]);
    });

    it('past due it escalates, with the days overdue; the informant never appears', () => {
      const events = given(leadDecider, registered, transferred)
        .when(escalateTransfer('acknowledgement', 'after-1', 1, '2026-03-10', '2026-03-09'))
        .then([
          {
            type: 'lead.transfer-escalated',
            data: {
              ...base,
              transferId: 'T1',
              clock: 'acknowledgement',
              step: 'after-1',
              dueOn: '2026-03-09',
              agency: 'public-security',
              level: 1,
              toRole: 'group-leader',
              daysOverdue: 1,
              escalatedOn: '2026-03-10',
            },
          },
        ]);
      expect(JSON.stringify(events)).not.toContain('举报人');
    });

    it('once acknowledged the acknowledgement clock is done and the decision clock runs', () => {
      given(leadDecider, registered, transferred, acknowledged).when(remindTransfer('acknowledgement', 'before-1', '2026-03-06', '2026-03-09')).thenNothing();
      given(leadDecider, registered, transferred, acknowledged)
        .when(remindTransfer('decision', 'before-1', '2026-03-09', '2026-03-10'))
        .then([
          {
            type: 'lead.transfer-reminder-sent',
            data: { ...base, transferId: 'T1', clock: 'decision', step: 'before-1', dueOn: '2026-03-10', agency: 'public-security', remindedOn: '2026-03-09' },
          },
        ]);
    });

    it('an answered transfer, another transfer id, or a repeat of the rung is a no-op', () => {
      given(leadDecider, registered, transferred, acknowledged, accepted).when(remindTransfer('decision', 'before-1', '2026-03-09', '2026-03-10')).thenNothing();
      given(leadDecider, registered, transferred).when({ ...remindTransfer('acknowledgement', 'before-1', '2026-03-06', '2026-03-09'), transferId: 'T9' } as LeadCommand).thenNothing();
      const first = given(leadDecider, registered, transferred).when(remindTransfer('acknowledgement', 'before-1', '2026-03-06', '2026-03-09')).then([expect.anything() as never]);
      given(leadDecider, registered, transferred, ...first).when(remindTransfer('acknowledgement', 'before-1', '2026-03-07', '2026-03-09')).thenNothing();
    });

    it('refuses an unknown clock and agency users', () => {
      given(leadDecider, registered, transferred).when(remindTransfer('lunch' as TransferClock, 'before-1', '2026-03-06', '2026-03-09')).thenRefuses('clock-invalid', 'invalid', 'clock');
      given(leadDecider, registered, transferred).when(remindTransfer('acknowledgement', 'before-1', '2026-03-06', '2026-03-09', police)).thenRefuses('office-only', 'forbidden');
    });
  });

  describe('dispositions', () => {
    const remind = (today: string, dueOn: string): LeadCommand => ({ type: 'RemindLeadDisposition', step: 'before-1', dueOn, ctx: ctx(system, today) });
    const escalate = (today: string, dueOn: string, level = 1): LeadCommand => ({ type: 'EscalateLeadDisposition', step: `after-${level}`, level, dueOn, ctx: ctx(system, today) });

    it('a 谈话函询 not concluded in time is reminded, then escalated', () => {
      given(leadDecider, registered, decided('talk-inquiry'))
        .when(remind('2026-04-10', '2026-04-13'))
        .then([{ type: 'lead.disposition-reminder-sent', data: { ...base, method: 'talk-inquiry', step: 'before-1', dueOn: '2026-04-13', agency: 'audit-bureau', remindedOn: '2026-04-10' } }]);
      given(leadDecider, registered, decided('talk-inquiry'))
        .when(escalate('2026-04-18', '2026-04-13'))
        .then([
          {
            type: 'lead.disposition-escalated',
            data: { ...base, method: 'talk-inquiry', step: 'after-1', dueOn: '2026-04-13', agency: 'audit-bureau', level: 1, toRole: 'group-leader', daysOverdue: 5, escalatedOn: '2026-04-18' },
          },
        ]);
    });

    it('nothing to chase: concluded, a method without a conclusion clock, no disposition yet, or a repeat', () => {
      given(leadDecider, registered, decided('talk-inquiry'), concluded).when(remind('2026-04-10', '2026-04-13')).thenNothing();
      given(leadDecider, registered, decided('hold-pending')).when(remind('2026-04-10', '2026-04-13')).thenNothing();
      given(leadDecider, registered).when(remind('2026-04-10', '2026-04-13')).thenNothing();
      const first = given(leadDecider, registered, decided('talk-inquiry')).when(escalate('2026-04-18', '2026-04-13')).then([expect.anything() as never]);
      given(leadDecider, registered, decided('talk-inquiry'), ...first).when(escalate('2026-04-19', '2026-04-13')).thenNothing();
      given(leadDecider, registered, decided('talk-inquiry'), ...first).when(escalate('2026-04-30', '2026-04-13', 2)).then([expect.objectContaining({ type: 'lead.disposition-escalated' }) as never]);
    });

    it('an unknown lead is not found', () => {
      given(leadDecider).when(remind('2026-04-10', '2026-04-13')).thenRefuses('lead-not-found', 'not-found');
    });
  });
});
