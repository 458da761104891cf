import { shanghaiDateOf } from '@coord/domain';
import type { EventStore } from '@coord/event-store';

/** The first event never changes once written, so it is read once per store. */
const firstUseByStore = new WeakMap<EventStore, string>();

/**
 * From which date the group owes a regular joint meeting every half-year (the overdue follow-ups'
 * `meetingsSince`): the LATER of the group's establishment date (COORD_GROUP_ESTABLISHED_ON, 2012 for the
 * seed's county) and the day the system was first used (the Asia/Shanghai date the first event of the log
 * was recorded — on a fresh install the group seeding at first start).
 *
 * Why not the establishment date alone: a county installing the system in 2026 has recorded none of its
 * past meetings here, so "every half-year since 2012 without a regular meeting" would be 29 false alarms.
 * Why not only the first business date in the read models (the query's own default): imported history
 * (ledger import, business dates back to 2012) would pull it back in the same way. Half-years are then
 * counted by the query only if they BEGAN on or after this date, so the first one owed is the first full
 * half-year of use. Meetings held before are still in the register and the reports; they are just not
 * demanded.
 */
export async function regularMeetingsOwedSince(store: EventStore, groupEstablishedOn: string): Promise<string> {
  let firstUse = firstUseByStore.get(store);
  if (firstUse === undefined) {
    const [first] = await store.readAll(0, 1);
    // an empty log (cannot happen after bootstrap) owes nothing yet: today, not cached
    if (!first) return shanghaiDateOf(new Date());
    firstUse = shanghaiDateOf(new Date(first.recordedAt));
    firstUseByStore.set(store, firstUse);
  }
  return firstUse > groupEstablishedOn ? firstUse : groupEstablishedOn;
}
