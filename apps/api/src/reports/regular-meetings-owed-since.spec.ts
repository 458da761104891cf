import type { EventStore, StoredEvent } from '@coord/event-store';
import { regularMeetingsOwedSince } from './regular-meetings-owed-since';

/** Only readAll is used: a log whose first event was recorded at `recordedAt` (or an empty one). */
const logStartingAt = (recordedAt?: string) => {
  let reads = 0;
  const store = {
    readAll: async () => {
      reads++;
      return recordedAt ? [{ position: 1, recordedAt } as unknown as StoredEvent] : [];
    },
  } as unknown as EventStore;
  return { store, reads: () => reads };
};

describe('regularMeetingsOwedSince (from when a half-year without a regular meeting is overdue)', () => {
  it('given a group established in 2012 and a system first used in March 2026, then meetings are owed from the first use', async () => {
    const { store } = logStartingAt('2026-03-04T20:00:00.000Z'); // 04:00 on 5 March in Shanghai
    expect(await regularMeetingsOwedSince(store, '2012-01-01')).toBe('2026-03-05');
  });

  it('given a group established after the system was first used, then from the establishment date', async () => {
    const { store } = logStartingAt('2026-03-04T02:00:00.000Z');
    expect(await regularMeetingsOwedSince(store, '2026-07-01')).toBe('2026-07-01');
  });

  it('reads the first event once per store; an empty log owes nothing before today and is read again later', async () => {
    const used = logStartingAt('2026-03-04T02:00:00.000Z');
    await regularMeetingsOwedSince(used.store, '2012-01-01');
    await regularMeetingsOwedSince(used.store, '2012-01-01');
    expect(used.reads()).toBe(1);
    const empty = logStartingAt();
    const shanghaiToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const before = shanghaiToday();
    const owed = await regularMeetingsOwedSince(empty.store, '2012-01-01');
    expect([before, shanghaiToday()]).toContain(owed); // robust across midnight
    await regularMeetingsOwedSince(empty.store, '2012-01-01');
    expect(empty.reads()).toBe(2);
  });
});
