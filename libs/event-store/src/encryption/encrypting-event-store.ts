import type { AppendResult, ExpectedVersion, NewEvent, StoredEvent, StreamAppend } from '../event-envelope';
import type { EventStore, ReadStreamOptions } from '../event-store.port';
import type { ConfidentialVault } from './confidential-vault';

/**
 * A decorator around any EventStore adapter (SQLite, PostgreSQL, KurrentDB): the adapter only ever
 * receives — and stores, hashes and replicates — the SEALED confidential part; the plaintext never
 * reaches it. Encrypting here, not inside the adapters, keeps every adapter's append path (and the hash
 * chain over the stored bytes) unaware of keys.
 *
 * Reading:
 *  - readStream OPENS the confidential part: stream reads are the write side's folds (the account's
 *    password hash for sign-in, the lead for the informant endpoint). After erasure the part is simply
 *    absent (the event, its data and its sealed bytes in the store stay). A reader that never uses the
 *    part asks for `confidential: 'omit'` and gets it absent without any key being touched.
 *  - readAll returns the stored (sealed) value untouched: log followers — projections, the Kafka relay,
 *    reports, time travel, integrity verification — never need the plaintext, so they never get it.
 *  - append results carry the sealed value as stored.
 */
export class EncryptingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    readonly vault: ConfidentialVault,
  ) {}

  async append(streamId: string, events: NewEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    return this.inner.append(streamId, await this.seal(streamId, events), expectedVersion);
  }

  async appendMulti(appends: StreamAppend[]): Promise<AppendResult[]> {
    // Sealing one append after the other would create each new stream's data key in its own durable
    // key-store transaction (a bulk load or an import of thousands of petitions: thousands of fsyncs);
    // provisioning them together first lets the key store commit them at once.
    const needKeys = appends.filter((a) => a.events.some((e) => e.confidential != null)).map((a) => a.streamId);
    if (needKeys.length > 1) await this.vault.provision(needKeys);
    const sealed: StreamAppend[] = [];
    for (const a of appends) sealed.push({ ...a, events: await this.seal(a.streamId, a.events) });
    return this.inner.appendMulti(sealed);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]> {
    const { confidential, ...range } = options ?? {};
    const events = await this.inner.readStream(streamId, range);
    // Omitted, not opened: no data-key lookup or unwrap for a reader that would ignore the plaintext.
    // The sealed bytes are dropped too, so no caller can mistake them for the value.
    if (confidential === 'omit') return events.map((e) => (e.confidential == null ? e : withoutConfidential(e)));
    const out: StoredEvent[] = [];
    for (const e of events) out.push(await this.openEvent(e));
    return out;
  }

  readAll(after: number, limit: number): Promise<StoredEvent[]> {
    return this.inner.readAll(after, limit);
  }

  streamVersion(streamId: string): Promise<number> {
    return this.inner.streamVersion(streamId);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  onAppended(listener: (lastPosition: number) => void): () => void {
    return this.inner.onAppended(listener);
  }

  async close(): Promise<void> {
    await this.inner.close();
    await this.vault.close();
  }

  private async seal(streamId: string, events: NewEvent[]): Promise<NewEvent[]> {
    const out: NewEvent[] = [];
    for (const e of events) {
      out.push(e.confidential == null ? e : { ...e, confidential: { ...(await this.vault.seal(streamId, e.eventId, e.confidential)) } });
    }
    return out;
  }

  private async openEvent(e: StoredEvent): Promise<StoredEvent> {
    if (e.confidential == null) return e;
    const opened = await this.vault.open(e.streamId, e.eventId, e.confidential);
    if (opened.state === 'plain') return { ...e, confidential: opened.value };
    return withoutConfidential(e);
  }
}

function withoutConfidential(e: StoredEvent): StoredEvent {
  const { confidential: _left, ...rest } = e;
  return rest;
}
