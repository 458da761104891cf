import type { DeadlineKind } from '../entities/reminder-deadline.entity';
import { ReminderDeadlineEntity } from '../entities/reminder-deadline.entity';
import { known, type ProjectedEvent, type RowChanges, type RowProjection } from '../projection';

type Row = ReminderDeadlineEntity;

const SI = (itemId: string) => `supervision-item:${itemId}`;
const TA = (transferId: string) => `transfer-acknowledgement:${transferId}`;
const TD = (transferId: string) => `transfer-decision:${transferId}`;
const DC = (leadId: string) => `disposition-conclusion:${leadId}`;

/** Dispositions with a conclusion clock (谈话函询, 初步核实); the others owe no conclusion. */
const CONCLUDABLE = new Set(['talk-inquiry', 'preliminary-verification']);

function keys(event: ProjectedEvent): readonly string[] {
  const e = known(event);
  switch (e.type) {
    case 'supervision.opened':
    case 'supervision.extension-approved':
    case 'supervision.result-reported':
    case 'supervision.result-sent-back':
    case 'supervision.closed':
    case 'supervision.reminder-sent':
    case 'supervision.escalated':
      return [SI(e.data.itemId)];
    case 'lead.transferred':
      return [TA(e.data.transferId)];
    case 'lead.transfer-acknowledged':
    case 'lead.transfer-accepted':
    case 'lead.transfer-returned':
      return [TA(e.data.transferId), TD(e.data.transferId)];
    case 'lead.transfer-forwarded':
      return [TA(e.data.transferId), TD(e.data.transferId), TA(e.data.nextTransferId)];
    case 'lead.transfer-reminder-sent':
    case 'lead.transfer-escalated':
      return [e.data.clock === 'acknowledgement' ? TA(e.data.transferId) : TD(e.data.transferId)];
    case 'lead.disposition-decided':
    case 'lead.disposition-concluded':
    case 'lead.converted-to-case':
    case 'lead.disposition-reminder-sent':
    case 'lead.disposition-escalated':
      return [DC(e.data.leadId)];
    default:
      return [];
  }
}

function open(
  id: string,
  kind: DeadlineKind,
  f: { streamId: string; refId: string; agency: string; startOn: string; transferId?: string; method?: string },
  clock: { param: string } | { fixedDueOn: string },
  e: ProjectedEvent,
): Row {
  return {
    deadlineId: id,
    kind,
    streamId: f.streamId,
    refId: f.refId,
    transferId: f.transferId ?? null,
    method: f.method ?? null,
    agency: f.agency,
    startOn: f.startOn,
    clockParam: 'param' in clock ? clock.param : null,
    fixedDueOn: 'fixedDueOn' in clock ? clock.fixedDueOn : null,
    closedOn: null,
    lastStep: null,
    lastStepDueOn: null,
    updatedPosition: e.position,
  };
}

function apply(rows: ReadonlyMap<string, Row>, event: ProjectedEvent): RowChanges<Row> | undefined {
  const e = known(event);
  const changes = new Map<string, Row | null>();
  const update = (key: string, patch: Partial<Row>) => {
    const row = changes.get(key) ?? rows.get(key);
    if (row) changes.set(key, { ...row, ...patch, updatedPosition: e.position });
  };
  const close = (key: string, on: string) => {
    const row = changes.get(key) ?? rows.get(key);
    if (row && row.closedOn === null) changes.set(key, { ...row, closedOn: on, updatedPosition: e.position });
  };
  const fired = (key: string, step: string, dueOn: string) => update(key, { lastStep: step, lastStepDueOn: dueOn });
  const lead = (leadId: string) => `lead-${leadId}`;
  switch (e.type) {
    case 'supervision.opened': {
      const d = e.data;
      if (rows.has(SI(d.itemId))) return undefined;
      changes.set(SI(d.itemId), open(SI(d.itemId), 'supervision-item', { streamId: event.streamId, refId: d.itemId, agency: d.assigneeAgency, startOn: d.openedOn }, { fixedDueOn: d.dueOn }, e));
      break;
    }
    case 'supervision.extension-approved':
      // a new due date: the ladder starts again for it (lastStep belongs to the old due date)
      update(SI(e.data.itemId), { fixedDueOn: e.data.newDueOn });
      break;
    case 'supervision.result-reported':
      // paused while the office reviews the result: the assignee has done its part
      close(SI(e.data.itemId), e.data.reportedOn);
      break;
    case 'supervision.result-sent-back':
      update(SI(e.data.itemId), { closedOn: null });
      break;
    case 'supervision.closed':
      close(SI(e.data.itemId), e.data.closedOn);
      break;
    case 'supervision.reminder-sent':
    case 'supervision.escalated':
      fired(SI(e.data.itemId), e.data.step, e.data.dueOn);
      break;
    case 'lead.transferred': {
      const d = e.data;
      if (rows.has(TA(d.transferId))) return undefined;
      changes.set(
        TA(d.transferId),
        open(TA(d.transferId), 'transfer-acknowledgement', { streamId: lead(d.leadId), refId: d.leadId, transferId: d.transferId, agency: d.toAgency, startOn: d.transferredOn }, { param: 'transferAcknowledgeWorkingDays' }, e),
      );
      break;
    }
    case 'lead.transfer-acknowledged': {
      const d = e.data;
      close(TA(d.transferId), d.acknowledgedOn);
      if (!rows.has(TD(d.transferId))) {
        changes.set(
          TD(d.transferId),
          open(TD(d.transferId), 'transfer-decision', { streamId: lead(d.leadId), refId: d.leadId, transferId: d.transferId, agency: d.agency, startOn: d.acknowledgedOn }, { param: 'transferDecisionWorkingDays' }, e),
        );
      }
      break;
    }
    case 'lead.transfer-accepted':
    case 'lead.transfer-returned': {
      const on = e.type === 'lead.transfer-accepted' ? e.data.acceptedOn : e.data.returnedOn;
      close(TA(e.data.transferId), on);
      close(TD(e.data.transferId), on);
      break;
    }
    case 'lead.transfer-forwarded': {
      const d = e.data;
      close(TA(d.transferId), d.forwardedOn);
      close(TD(d.transferId), d.forwardedOn);
      if (!rows.has(TA(d.nextTransferId))) {
        changes.set(
          TA(d.nextTransferId),
          open(TA(d.nextTransferId), 'transfer-acknowledgement', { streamId: lead(d.leadId), refId: d.leadId, transferId: d.nextTransferId, agency: d.toAgency, startOn: d.forwardedOn }, { param: 'transferAcknowledgeWorkingDays' }, e),
        );
      }
      break;
    }
    case 'lead.transfer-reminder-sent':
    case 'lead.transfer-escalated':
      fired(e.data.clock === 'acknowledgement' ? TA(e.data.transferId) : TD(e.data.transferId), e.data.step, e.data.dueOn);
      break;
    case 'lead.disposition-decided': {
      const d = e.data;
      if (CONCLUDABLE.has(d.method)) {
        changes.set(
          DC(d.leadId),
          open(DC(d.leadId), 'disposition-conclusion', { streamId: lead(d.leadId), refId: d.leadId, method: d.method, agency: d.agency, startOn: d.decidedOn }, { param: `dispositionWorkingDays.${d.method}` }, e),
        );
      } else {
        close(DC(d.leadId), d.decidedOn);
      }
      break;
    }
    case 'lead.disposition-concluded':
      close(DC(e.data.leadId), e.data.concludedOn);
      break;
    case 'lead.converted-to-case':
      close(DC(e.data.leadId), e.data.convertedOn);
      break;
    case 'lead.disposition-reminder-sent':
    case 'lead.disposition-escalated':
      fired(DC(e.data.leadId), e.data.step, e.data.dueOn);
      break;
    default:
      return undefined;
  }
  return changes.size > 0 ? changes : undefined;
}

/**
 * The deadline scheduler's work list: which deadlines are open, by which clock, and which rung last fired.
 * (libs/platform/src/scheduler/deadline-scheduler.ts reads it; see docs/reminders.md.)
 */
export const reminderDeadlinesProjection: RowProjection<Row> = {
  name: 'reminder-deadlines',
  entity: ReminderDeadlineEntity,
  primaryKey: 'deadlineId',
  handles: [
    'supervision.opened',
    'supervision.extension-approved',
    'supervision.result-reported',
    'supervision.result-sent-back',
    'supervision.closed',
    'supervision.reminder-sent',
    'supervision.escalated',
    'lead.transferred',
    'lead.transfer-acknowledged',
    'lead.transfer-accepted',
    'lead.transfer-returned',
    'lead.transfer-forwarded',
    'lead.transfer-reminder-sent',
    'lead.transfer-escalated',
    'lead.disposition-decided',
    'lead.disposition-concluded',
    'lead.converted-to-case',
    'lead.disposition-reminder-sent',
    'lead.disposition-escalated',
  ],
  keys,
  apply,
};
