import { type ProjectedEvent, projectInMemory } from '../projection';
import { regularMeetingsProjection, halfYearOf } from './regular-meetings.projection';

let position = 0;
const convened = (meetingId: string, kind: 'regular' | 'special', heldOn: string): ProjectedEvent => ({
  type: 'meeting.convened',
  data: { meetingId, kind, heldOn, attendees: ['court'], expectedMembers: ['court'] },
  streamId: `meeting-${meetingId}`,
  streamVersion: 2,
  position: ++position,
  occurredAt: `${heldOn}T02:00:00.000Z`,
  recordedAt: `${heldOn}T02:00:00.000Z`,
  actor: { userId: 'u', username: 'office', role: 'office' },
});

describe('regular-meetings projection (联席会议定期会议 per half-year)', () => {
  it('a row per half-year with a regular meeting; special meetings do not count', () => {
    expect(projectInMemory(regularMeetingsProjection, [convened('M1', 'regular', '2026-06-30'), convened('M2', 'special', '2026-08-01'), convened('M3', 'regular', '2026-03-10'), convened('M4', 'regular', '2026-07-01')])).toEqual([
      { halfYear: '2026-H1', firstHeldOn: '2026-03-10', meetingCount: 2, lastPosition: 3 },
      { halfYear: '2026-H2', firstHeldOn: '2026-07-01', meetingCount: 1, lastPosition: 4 },
    ]);
  });

  it('half-years split at the end of June', () => {
    expect([halfYearOf('2026-01-01'), halfYearOf('2026-06-30'), halfYearOf('2026-07-01'), halfYearOf('2026-12-31')]).toEqual(['2026-H1', '2026-H1', '2026-H2', '2026-H2']);
  });
});
