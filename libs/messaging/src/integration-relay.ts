import { WakeableSleep, type EventStore, type StoredEvent } from '@coord/event-store';
import { RelayCheckpointEntity } from '@coord/read-models';
import type { DataSource } from 'typeorm';
import { toIntegrationMessage, type IntegrationMessage } from './integration-message';
import type { IntegrationPublisher } from './integration-publisher';
import { prefixed, type MessagingLogger } from './kafka-client';

export interface IntegrationRelayOptions {
  store: EventStore;
  /** the read-model database, which holds the relay_checkpoints table */
  dataSource: DataSource;
  publisher: IntegrationPublisher;
  /** checkpoint row name; default 'integration-relay' */
  name?: string;
  /** events per batch (one readAll, one publish, one checkpoint write); default 2000 (DEFAULT_RELAY_BATCH) */
  batchSize?: number;
  /** prepended to every topic (tests, shared clusters); default '' */
  topicPrefix?: string;
  /** upcaster applied before mapping */
  transform?: (e: StoredEvent) => StoredEvent;
  logger?: MessagingLogger;
  /** how often a started relay looks for other processes' appends; default 500 ms */
  pollIntervalMs?: number;
  /** cap of the retry backoff while the broker is unreachable; default 15 s */
  maxBackoffMs?: number;
  /**
   * Whether this process should relay now — the projection lease holder's runner.isActive(). Standby
   * projectors then idle instead of publishing every batch a second time (which at-least-once would
   * allow, but is wasted work and duplicate traffic for every consumer).
   */
  isActive?: () => boolean;
}

export interface RelayLag {
  head: number;
  checkpoint: number;
  /** events in the log not yet acknowledged by the broker (including ones that are never published) */
  events: number;
}

export const DEFAULT_RELAY_NAME = 'integration-relay';

/**
 * Events per batch. Every batch costs one produce round trip with acks=all and one checkpoint write, so
 * small batches leave the relay waiting on the broker: 2000 measured about 1.4× the rate of 500
 * (bench/kafka.bench.ts). A failed batch is re-sent whole, so the bound is also how many duplicates one
 * failure can cause (allowed: at-least-once, consumers dedupe by event id). The publisher splits a batch
 * into requests below the broker's size limit (KafkaPublisher), so a larger batch cannot be refused as too large.
 */
export const DEFAULT_RELAY_BATCH = 2000;

/**
 * The outbound relay: follows the event log from ITS OWN checkpoint and publishes each event's
 * integration message (toIntegrationMessage: key = stream id, event id / type / schema version /
 * correlation id as headers, never the confidential part).
 *
 * No dual writes: command handlers only append to the store; this is the one writer to Kafka. So a broker
 * outage never fails a command — the relay just falls behind, retries with exponential backoff, and
 * resumes from its checkpoint when the broker returns, with no gap.
 *
 * At-least-once: per batch, publish first and move the checkpoint only after the publisher resolved
 * (the broker acknowledged every message). A crash or a failed send between the two re-sends the batch;
 * consumers dedupe by the `event-id` header. Events of one stream keep their order (same key, same
 * partition, sent in log order, one request in flight).
 *
 * The checkpoint update is guarded (`WHERE position = <what we read>`): two relays on the same row do not
 * move it backwards; the loser reloads (its batch was published anyway — a duplicate, still allowed).
 */
export class IntegrationRelay {
  readonly name: string;
  private readonly store: EventStore;
  private readonly dataSource: DataSource;
  private readonly publisher: IntegrationPublisher;
  private readonly batchSize: number;
  private readonly topicPrefix: string;
  private readonly transform?: (e: StoredEvent) => StoredEvent;
  private readonly logger?: MessagingLogger;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;

  private cached?: number;
  /** the next batch, read while the previous one was on its way to the broker (see processBatch) */
  private prefetched?: { from: number; events: Promise<StoredEvent[]> };
  private lock: Promise<unknown> = Promise.resolve();
  private running = false;
  private loopDone?: Promise<void>;
  private unsubscribe?: () => void;
  private readonly pause = new WakeableSleep(() => this.running);
  /** the last failure while running (cleared by the next successful batch), for /health */
  lastError?: string;
  /** total messages handed to the publisher and acknowledged since start (a metrics counter) */
  published = 0;

  constructor(options: IntegrationRelayOptions) {
    this.store = options.store;
    this.dataSource = options.dataSource;
    this.publisher = options.publisher;
    this.name = options.name ?? DEFAULT_RELAY_NAME;
    this.batchSize = options.batchSize ?? DEFAULT_RELAY_BATCH;
    this.topicPrefix = options.topicPrefix ?? '';
    this.transform = options.transform;
    this.logger = options.logger;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
    this.isActive = options.isActive;
  }

  private readonly isActive?: () => boolean;

  get publisherKind(): IntegrationPublisher['kind'] {
    return this.publisher.kind;
  }

  /** The committed checkpoint, read from the database (so it also shows another process's relay). */
  async checkpoint(): Promise<number> {
    const row = await this.dataSource.getRepository(RelayCheckpointEntity).findOneBy({ name: this.name });
    return row?.position ?? 0;
  }

  async lag(): Promise<RelayLag> {
    const [head, checkpoint] = await Promise.all([this.store.headPosition(), this.checkpoint()]);
    return { head, checkpoint, events: Math.max(0, head - checkpoint) };
  }

  /** Publish batches until the log is exhausted; rejects on the first failure. Returns events read. */
  runUntilCaughtUp(): Promise<number> {
    return this.exclusive(async () => {
      let total = 0;
      for (;;) {
        const n = await this.processBatch();
        if (n === 0) return total;
        total += n;
      }
    });
  }

  /**
   * Operators: move the checkpoint to `position` so the next batches (re)publish every event after it.
   * Consumers dedupe by event id, so replaying already-delivered events is safe.
   */
  resetTo(position: number): Promise<void> {
    if (!Number.isSafeInteger(position) || position < 0) throw new RangeError('position must be a non-negative integer');
    return this.exclusive(async () => {
      await this.ensureRow();
      await this.dataSource
        .createQueryBuilder()
        .update(RelayCheckpointEntity)
        .set({ position, updatedAt: new Date().toISOString() })
        .where('name = :name', { name: this.name })
        .execute();
      this.cached = position;
      this.logger?.info({ relay: this.name, position }, 'relay checkpoint reset');
    });
  }

  /** Follow the log: wake on local appends, poll for other processes' appends, back off while failing. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.store.onAppended(() => this.pause.wake());
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    if (this.running) {
      this.running = false;
      this.unsubscribe?.();
      this.unsubscribe = undefined;
      this.pause.wake();
      await this.loopDone;
    }
  }

  /** Stop and close the publisher. */
  async close(): Promise<void> {
    await this.stop();
    await this.publisher.close();
  }

  // ---------------------------------------------------------------------------------------------------

  private async loop(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      if (this.isActive && !this.isActive()) {
        // standing by: the active process moves the checkpoint, so forget the cached one
        this.cached = undefined;
        await this.pause.sleep(this.pollIntervalMs, true);
        continue;
      }
      let read = 0;
      try {
        read = await this.exclusive(() => this.processBatch());
        if (backoff > 0) this.logger?.info({ relay: this.name }, 'relay publishing again');
        backoff = 0;
        this.lastError = undefined;
      } catch (err) {
        backoff = Math.min(Math.max(250, backoff * 2), this.maxBackoffMs);
        this.lastError = describe(err);
        this.logger?.warn({ relay: this.name, err: this.lastError, retryInMs: backoff }, 'relay batch not acknowledged; checkpoint kept, will retry');
        await this.pause.sleep(backoff, false);
        continue;
      }
      if (read === 0 && this.running) await this.pause.sleep(this.pollIntervalMs, true);
    }
  }

  private async processBatch(): Promise<number> {
    try {
      const from = this.cached ?? (await this.loadCheckpoint());
      const stored = await this.read(from);
      if (stored.length === 0) {
        // connect (and create topics) early, so /health shows a broker problem before the first event
        await this.publisher.start();
        return 0;
      }
      const messages: IntegrationMessage[] = [];
      for (const e of stored) {
        const m = toIntegrationMessage(this.transform ? this.transform(e) : e);
        if (m) messages.push(this.topicPrefix ? { ...m, topic: prefixed(this.topicPrefix, m.topic) } : m);
      }
      const last = stored[stored.length - 1].position;
      const publishing = this.publisher.publish(messages);
      // While the broker works on this batch, read the next one (the store's work then overlaps the
      // broker's instead of following it). Deferred with setImmediate so the publisher has written its
      // request first: a synchronous store (better-sqlite3) would otherwise run before the send.
      // Only a READ moves ahead: the next batch is published after this one is acknowledged and the
      // checkpoint is saved, exactly as before, so order and at-least-once are unchanged.
      this.prefetch(last);
      await publishing;
      this.published += messages.length;
      await this.saveCheckpoint(from, last);
      return stored.length;
    } catch (err) {
      this.cached = undefined; // the database is the truth after any failure
      this.prefetched = undefined;
      throw err;
    }
  }

  /**
   * The events after `from`: the prefetched read when it was made from this same position and found
   * events, else a fresh read. A prefetched read is still valid later — the log is append-only and
   * readAll returns a gap-free run of the events after `from` — it may only be SHORT of events appended
   * since; those follow in the next batch. An empty prefetch is not trusted (events may have arrived
   * since), so "caught up" is always decided by a fresh read.
   */
  private async read(from: number): Promise<StoredEvent[]> {
    const ahead = this.prefetched;
    this.prefetched = undefined;
    if (ahead && ahead.from === from) {
      const events = await ahead.events.catch(() => undefined);
      if (events && events.length > 0) return events;
    }
    return this.store.readAll(from, this.batchSize);
  }

  private prefetch(from: number): void {
    // the read starts inside a promise chain, so even a store that threw synchronously only rejects it
    const events = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.store.readAll(from, this.batchSize));
    events.catch(() => undefined); // a failed prefetch is simply read again by read()
    this.prefetched = { from, events };
  }

  private async ensureRow(): Promise<void> {
    await this.dataSource.createQueryBuilder().insert().into(RelayCheckpointEntity).values({ name: this.name, position: 0, updatedAt: null }).orIgnore().execute();
  }

  private async loadCheckpoint(): Promise<number> {
    await this.ensureRow();
    this.cached = await this.checkpoint();
    return this.cached;
  }

  private async saveCheckpoint(from: number, to: number): Promise<void> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(RelayCheckpointEntity)
      .set({ position: to, updatedAt: new Date().toISOString() })
      .where('name = :name AND position = :from', { name: this.name, from })
      .execute();
    if (result.affected === 0) {
      this.cached = undefined;
      this.logger?.warn({ relay: this.name, from, to }, 'relay checkpoint moved under this relay (another relay active?); reloading');
      return;
    }
    this.cached = to;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.lock.then(fn, fn);
    this.lock = result.catch(() => undefined);
    return result;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
