import { FollowUpClockEntity, type FollowUpClockParam } from '../entities/follow-up-clock.entity';
import { known, type ProjectedEvent, type RowChanges, type RowProjection } from '../projection';

type Row = FollowUpClockEntity;

/*
 * Obligation ids. The "current" id of a restartable obligation is stable (one per lead / item / case) so
 * that any later event can find it from its own data; when an obligation restarts, the finished period is
 * archived under `<current>@v<stream version of the restarting event>` — a key the restarting event can
 * name by itself — so the history needed for "overdue as of a past date" survives.
 */
const LD = (leadId: string) => `lead-disposition:${leadId}`;
const DC = (leadId: string) => `disposition-conclusion:${leadId}`;
const TA = (transferId: string) => `transfer-acknowledgement:${transferId}`;
const TD = (transferId: string) => `transfer-decision:${transferId}`;
const SI = (itemId: string) => `supervision-item:${itemId}`;
const CP = (caseId: string) => `case-progress:${caseId}`;
const archived = (current: string, e: ProjectedEvent) => `${current}@v${e.streamVersion}`;

/** Dispositions whose work has its own conclusion clock (谈话函询, 初步核实). */
const CONCLUDABLE = new Set(['talk-inquiry', 'preliminary-verification']);

function keys(event: ProjectedEvent): readonly string[] {
  const e = known(event);
  switch (e.type) {
    case 'lead.registered':
      return [LD(e.data.leadId)];
    case 'lead.transferred':
      return [LD(e.data.leadId), TA(e.data.transferId)];
    case 'lead.transfer-acknowledged':
      return [LD(e.data.leadId), TA(e.data.transferId), TD(e.data.transferId)];
    case 'lead.transfer-accepted':
    case 'lead.transfer-returned':
      return [LD(e.data.leadId), archived(LD(e.data.leadId), e), TA(e.data.transferId), TD(e.data.transferId)];
    case 'lead.transfer-forwarded':
      return [LD(e.data.leadId), TA(e.data.transferId), TD(e.data.transferId), TA(e.data.nextTransferId)];
    case 'lead.disposition-decided':
      return [LD(e.data.leadId), DC(e.data.leadId), archived(DC(e.data.leadId), e)];
    case 'lead.disposition-concluded':
      return [DC(e.data.leadId)];
    case 'lead.converted-to-case':
      return [LD(e.data.leadId), DC(e.data.leadId)];
    case 'supervision.opened':
    case 'supervision.extension-approved':
    case 'supervision.result-reported':
    case 'supervision.result-accepted':
    case 'supervision.closed':
      return [SI(e.data.itemId)];
    case 'supervision.result-sent-back':
      return [SI(e.data.itemId), archived(SI(e.data.itemId), e)];
    case 'case.filed':
    case 'case.closed':
      return [CP(e.data.caseId)];
    case 'case.flags-changed':
    case 'case.progress-reported':
      return [CP(e.data.caseId), archived(CP(e.data.caseId), e)];
    default:
      return [];
  }
}

const isOpen = (row: Row | undefined): boolean => row !== undefined && row.satisfiedOn === null;
const satisfy = (row: Row, on: string, by: string): Row => ({ ...row, satisfiedOn: on, satisfiedBy: by });

/** Subject line of lead obligations: the person reported on, with unit and post. */
const leadTitle = (s: { name: string; unit: string; post: string }) => `${s.name}（${s.unit}${s.post}）`;

function open(
  id: string,
  fields: Pick<Row, 'kind' | 'refId' | 'ref' | 'agency' | 'title' | 'startOn'>,
  clock: { param: FollowUpClockParam; type: 'working-days' | 'calendar-days' } | { fixedDueOn: string },
  e: ProjectedEvent,
): Row {
  return {
    obligationId: id,
    ...fields,
    clock: 'fixedDueOn' in clock ? 'fixed-date' : clock.type,
    clockParam: 'fixedDueOn' in clock ? null : clock.param,
    fixedDueOn: 'fixedDueOn' in clock ? clock.fixedDueOn : null,
    satisfiedOn: null,
    satisfiedBy: null,
    openedPosition: e.position,
  };
}

/** Restart `current` from `startOn` for `agency`, archiving the finished period (if any) under `archiveKey`. */
function restart(changes: Map<string, Row | null>, current: Row, archiveKey: string, patch: Partial<Row>, e: ProjectedEvent): void {
  changes.set(archiveKey, { ...current, obligationId: archiveKey });
  changes.set(current.obligationId, { ...current, ...patch, satisfiedOn: null, satisfiedBy: null, openedPosition: e.position });
}

function apply(rows: ReadonlyMap<string, Row>, event: ProjectedEvent): RowChanges<Row> | undefined {
  const e = known(event);
  const changes = new Map<string, Row | null>();
  const satisfyIfOpen = (key: string, on: string, by: string) => {
    const row = changes.get(key) ?? rows.get(key);
    if (row && isOpen(row)) changes.set(key, satisfy(row, on, by));
  };
  switch (e.type) {
    case 'lead.registered': {
      const d = e.data;
      if (rows.has(LD(d.leadId))) return undefined;
      changes.set(
        LD(d.leadId),
        open(LD(d.leadId), { kind: 'lead-disposition', refId: d.leadId, ref: d.ledgerNo, agency: d.reportingAgency, title: leadTitle(d.subject), startOn: d.receivedOn }, { param: 'leadDispositionWorkingDays', type: 'working-days' }, e),
      );
      break;
    }
    case 'lead.transferred': {
      const d = e.data;
      const lead = rows.get(LD(d.leadId));
      // The holder's disposition clock stops while the lead is away; it restarts for whoever holds it next.
      satisfyIfOpen(LD(d.leadId), d.transferredOn, 'transferred');
      if (!rows.has(TA(d.transferId))) {
        changes.set(
          TA(d.transferId),
          open(TA(d.transferId), { kind: 'transfer-acknowledgement', refId: d.transferId, ref: lead?.ref ?? d.leadId, agency: d.toAgency, title: lead?.title ?? '', startOn: d.transferredOn }, { param: 'transferAcknowledgeWorkingDays', type: 'working-days' }, e),
        );
      }
      break;
    }
    case 'lead.transfer-acknowledged': {
      const d = e.data;
      const lead = rows.get(LD(d.leadId));
      satisfyIfOpen(TA(d.transferId), d.acknowledgedOn, 'acknowledged');
      if (!rows.has(TD(d.transferId))) {
        changes.set(
          TD(d.transferId),
          open(TD(d.transferId), { kind: 'transfer-decision', refId: d.transferId, ref: lead?.ref ?? d.leadId, agency: d.agency, title: lead?.title ?? '', startOn: d.acknowledgedOn }, { param: 'transferDecisionWorkingDays', type: 'working-days' }, e),
        );
      }
      break;
    }
    case 'lead.transfer-accepted':
    case 'lead.transfer-returned': {
      const d = e.data;
      const on = e.type === 'lead.transfer-accepted' ? e.data.acceptedOn : e.data.returnedOn;
      const holder = e.type === 'lead.transfer-accepted' ? e.data.agency : e.data.toAgency;
      const by = e.type === 'lead.transfer-accepted' ? 'accepted' : 'returned';
      satisfyIfOpen(TA(d.transferId), on, by);
      satisfyIfOpen(TD(d.transferId), on, by);
      const lead = rows.get(LD(d.leadId));
      // Only a clock stopped by the transfer restarts; a lead already disposed or converted owes nothing.
      if (lead && lead.satisfiedBy === 'transferred') restart(changes, lead, archived(LD(d.leadId), e), { agency: holder, startOn: on }, e);
      break;
    }
    case 'lead.transfer-forwarded': {
      const d = e.data;
      const lead = rows.get(LD(d.leadId));
      satisfyIfOpen(TA(d.transferId), d.forwardedOn, 'forwarded');
      satisfyIfOpen(TD(d.transferId), d.forwardedOn, 'forwarded');
      if (!rows.has(TA(d.nextTransferId))) {
        changes.set(
          TA(d.nextTransferId),
          open(TA(d.nextTransferId), { kind: 'transfer-acknowledgement', refId: d.nextTransferId, ref: lead?.ref ?? d.leadId, agency: d.toAgency, title: lead?.title ?? '', startOn: d.forwardedOn }, { param: 'transferAcknowledgeWorkingDays', type: 'working-days' }, e),
        );
      }
      break;
    }
    case 'lead.disposition-decided': {
      const d = e.data;
      const lead = rows.get(LD(d.leadId));
      satisfyIfOpen(LD(d.leadId), d.decidedOn, 'disposition-decided');
      const previous = rows.get(DC(d.leadId));
      if (CONCLUDABLE.has(d.method)) {
        const fields = { kind: 'disposition-conclusion' as const, refId: d.leadId, ref: lead?.ref ?? d.leadId, agency: d.agency, title: lead?.title ?? '', startOn: d.decidedOn };
        const clock = { param: `dispositionWorkingDays.${d.method}` as const, type: 'working-days' as const };
        if (previous) {
          // a new method replaces the running one: close the old period, start the new clock
          const closed = isOpen(previous) ? satisfy(previous, d.decidedOn, 'superseded') : previous;
          restart(changes, closed, archived(DC(d.leadId), e), { ...fields, clockParam: clock.param }, e);
        } else {
          changes.set(DC(d.leadId), open(DC(d.leadId), fields, clock, e));
        }
      } else {
        satisfyIfOpen(DC(d.leadId), d.decidedOn, 'superseded');
      }
      break;
    }
    case 'lead.disposition-concluded':
      satisfyIfOpen(DC(e.data.leadId), e.data.concludedOn, 'concluded');
      break;
    case 'lead.converted-to-case':
      satisfyIfOpen(LD(e.data.leadId), e.data.convertedOn, 'converted');
      satisfyIfOpen(DC(e.data.leadId), e.data.convertedOn, 'converted');
      break;
    case 'supervision.opened': {
      const d = e.data;
      if (rows.has(SI(d.itemId))) return undefined;
      changes.set(SI(d.itemId), open(SI(d.itemId), { kind: 'supervision-item', refId: d.itemId, ref: d.itemNo, agency: d.assigneeAgency, title: d.title, startOn: d.openedOn }, { fixedDueOn: d.dueOn }, e));
      break;
    }
    case 'supervision.extension-approved': {
      const row = rows.get(SI(e.data.itemId));
      if (row) changes.set(row.obligationId, { ...row, fixedDueOn: e.data.newDueOn });
      break;
    }
    case 'supervision.result-reported':
      // Choice: a reported result stops the assignee's clock. While the office reviews, the item is not the
      // assignee's overdue work; if the result is sent back the clock reopens (same due date) below.
      satisfyIfOpen(SI(e.data.itemId), e.data.reportedOn, 'result-reported');
      break;
    case 'supervision.result-accepted':
      satisfyIfOpen(SI(e.data.itemId), e.data.reviewedOn, 'result-accepted');
      break;
    case 'supervision.result-sent-back': {
      const row = rows.get(SI(e.data.itemId));
      if (row && !isOpen(row)) restart(changes, row, archived(SI(e.data.itemId), e), { startOn: e.data.reviewedOn }, e);
      break;
    }
    case 'supervision.closed':
      satisfyIfOpen(SI(e.data.itemId), e.data.closedOn, 'closed');
      break;
    case 'case.filed': {
      const d = e.data;
      if (rows.has(CP(d.caseId))) return undefined;
      const row = open(CP(d.caseId), { kind: 'case-progress', refId: d.caseId, ref: d.caseNo, agency: d.leadAgency, title: d.title, startOn: d.filedOn }, { param: 'majorCaseProgressDays', type: 'calendar-days' }, e);
      // Every case gets its row so a later "now major" flag can open the clock with the case's ref and title;
      // a case that is not major has a zero-length, already-satisfied period (never overdue).
      changes.set(CP(d.caseId), d.major ? row : satisfy(row, d.filedOn, 'not-major'));
      break;
    }
    case 'case.flags-changed': {
      const row = rows.get(CP(e.data.caseId));
      if (!row) break;
      if (e.data.major && !isOpen(row) && row.satisfiedBy !== 'case-closed') {
        restart(changes, row, archived(CP(e.data.caseId), e), { startOn: e.data.changedOn }, e);
      } else if (!e.data.major) {
        satisfyIfOpen(CP(e.data.caseId), e.data.changedOn, 'not-major');
      }
      break;
    }
    case 'case.progress-reported': {
      const row = rows.get(CP(e.data.caseId));
      // a report restarts the N-day clock of a major case
      if (row && isOpen(row)) restart(changes, satisfy(row, e.data.reportedOn, 'progress-reported'), archived(CP(e.data.caseId), e), { startOn: e.data.reportedOn }, e);
      break;
    }
    case 'case.closed':
      satisfyIfOpen(CP(e.data.caseId), e.data.closedOn, 'case-closed');
      break;
    default:
      return undefined;
  }
  return changes.size > 0 ? changes : undefined;
}

/**
 * Follow-up obligations (督办/催办 clocks) behind the overdue report: one row per obligation and period.
 * Which obligations exist and when they start and end is a pure function of the events; when each is DUE
 * is computed by OverdueFollowUpQuery at query time (see there for why).
 */
export const followUpClocksProjection: RowProjection<Row> = {
  name: 'follow-up-clocks',
  entity: FollowUpClockEntity,
  primaryKey: 'obligationId',
  handles: [
    'lead.registered',
    'lead.transferred',
    'lead.transfer-acknowledged',
    'lead.transfer-accepted',
    'lead.transfer-returned',
    'lead.transfer-forwarded',
    'lead.disposition-decided',
    'lead.disposition-concluded',
    'lead.converted-to-case',
    'supervision.opened',
    'supervision.extension-approved',
    'supervision.result-reported',
    'supervision.result-accepted',
    'supervision.result-sent-back',
    'supervision.closed',
    'case.filed',
    'case.flags-changed',
    'case.progress-reported',
    'case.closed',
  ],
  keys,
  apply,
};
