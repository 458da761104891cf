import type { EventStore } from '@coord/event-store';
import { toReportEvent, type ReportEvent } from '@coord/reporting';

/** Events per readAll call: big enough to keep round trips few, small enough to bound memory per batch. */
export const LOG_BATCH = 2_000;

/**
 * Streams the whole log, batch by batch, up to the head as it was when the read began (so a busy writer
 * cannot keep the read going forever), to a fold that keeps only what it needs. Each event is reduced to
 * a ReportEvent first: the `confidential` column is dropped here and never reaches a report or a ledger.
 *
 * Cost: one pass over the log per call — O(events) reads, O(batch) memory for the events themselves.
 */
export async function foldLog(store: EventStore, visit: (e: ReportEvent) => void, opts: { types?: ReadonlySet<string> } = {}): Promise<number> {
  const head = await store.headPosition();
  let after = 0;
  while (after < head) {
    const batch = await store.readAll(after, LOG_BATCH);
    if (batch.length === 0) break;
    for (const e of batch) {
      if (e.position > head) return head;
      if (!opts.types || opts.types.has(e.type)) visit(toReportEvent(e));
    }
    after = batch[batch.length - 1].position;
  }
  return head;
}
