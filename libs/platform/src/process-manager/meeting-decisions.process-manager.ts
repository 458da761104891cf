import type { MeetingDecisionTaken } from '@coord/domain';
import { uuidV5 } from '@coord/event-store';
import { openSupervisionItem } from './open-supervision-item';
import type { ProcessManager } from './process-manager';

/**
 * The supervision item opened for one action item of a passed decision. Derived from the meeting's own
 * ids (a decision is taken once, its action ids are unique), so the meeting register and the API can
 * name the item without a lookup, and any re-run targets the same stream.
 */
export const supervisionItemIdForAction = (meetingId: string, decisionId: string, actionId: string): string =>
  uuidV5(`meeting-decision-action:${meetingId}:${decisionId}:${actionId}`);

/**
 * 会议决定 → 督办: each action item of a PASSED decision becomes a supervision item (origin
 * 'meeting-decision'), numbered DB-<year>-NNNN and assigned with its due date. A decision that did not
 * pass carries no action items, and is checked again here, so it never opens anything.
 */
export const meetingDecisionsProcessManager: ProcessManager = {
  name: 'meeting-decisions',
  handles: ['meeting.decision-taken'],
  stepsFor(event) {
    const d = event.data as MeetingDecisionTaken['data'];
    if (!d.passed) return [];
    return d.actionItems.map((a) => ({
      key: a.actionId,
      run: (handler, meta) =>
        openSupervisionItem(handler, meta, {
          itemId: supervisionItemIdForAction(d.meetingId, d.decisionId, a.actionId),
          title: a.title,
          origin: 'meeting-decision',
          assigneeAgency: a.assigneeAgency,
          dueOn: a.dueOn,
        }),
    }));
  },
};
