import { RegularMeetingHalfYearEntity } from '../entities/regular-meeting-half-year.entity';
import type { ProjectedEvent, RowChanges, RowProjection } from '../projection';

type Row = RegularMeetingHalfYearEntity;

/** The held-meeting event of the meeting aggregate (libs/domain/src/meeting), read by shape. */
interface MeetingConvened {
  meetingId: string;
  kind: 'regular' | 'special';
  heldOn: string;
}

/** `2026-H1` for January–June, `2026-H2` for July–December. */
export const halfYearOf = (date: string): string => `${date.slice(0, 4)}-H${+date.slice(5, 7) <= 6 ? 1 : 2}`;

const keys = (e: ProjectedEvent): readonly string[] => {
  const d = e.data as MeetingConvened;
  return d.kind === 'regular' ? [halfYearOf(d.heldOn)] : [];
};

function apply(rows: ReadonlyMap<string, Row>, e: ProjectedEvent): RowChanges<Row> | undefined {
  const d = e.data as MeetingConvened;
  if (d.kind !== 'regular') return undefined;
  const key = halfYearOf(d.heldOn);
  const row = rows.get(key);
  const next: Row = row
    ? { ...row, firstHeldOn: d.heldOn < row.firstHeldOn ? d.heldOn : row.firstHeldOn, meetingCount: row.meetingCount + 1, lastPosition: e.position }
    : { halfYear: key, firstHeldOn: d.heldOn, meetingCount: 1, lastPosition: e.position };
  return new Map([[key, next]]);
}

/**
 * Half-years with a regular joint meeting (联席会议定期会议). Reads `meeting.convened` by its persisted shape
 * `{ meetingId, kind: 'regular' | 'special', heldOn, attendees, expectedMembers }` (libs/domain/src/meeting).
 */
export const regularMeetingsProjection: RowProjection<Row> = {
  name: 'regular-meetings',
  entity: RegularMeetingHalfYearEntity,
  primaryKey: 'halfYear',
  handles: ['meeting.convened'],
  keys,
  apply,
};
