import { DomainError, shanghaiDateOf, type Actor } from '@coord/domain';
import { uuidV5, type CommandHandler, type CommandMeta, type EventStore, type StoredEvent } from '@coord/event-store';
import { ProcessManagerCheckpointEntity } from '@coord/read-models';
import type { DataSource } from 'typeorm';
import { PROCESS_MANAGER_ACTOR, type ProcessManager, type ProcessStep } from './process-manager';

export interface ProcessManagerLogger {
  log(message: string): void;
  error(message: string, trace?: string): void;
}

export interface ProcessManagerRunnerOptions {
  store: EventStore;
  handler: CommandHandler;
  /** the read-model database: holds the process_manager_checkpoints table */
  dataSource: DataSource;
  manager: ProcessManager;
  actor?: Actor;
  /** upcaster applied to every stored event before the manager sees it */
  transform?: (e: StoredEvent) => StoredEvent;
  logger?: ProcessManagerLogger;
  batchSize?: number;
  /** how often a started runner looks for other processes' appends; default 500 ms */
  pollIntervalMs?: number;
  /** whether this process should react now (the projection lease holder's runner.isActive()); standbys idle */
  isActive?: () => boolean;
  /** cap of the retry backoff after a failure; default 30 s */
  maxBackoffMs?: number;
}

/**
 * Follows the event log from its own checkpoint and carries out a process manager's reactions.
 *
 * Applied once, restart-safe: every step runs through the CommandHandler with a DETERMINISTIC command id
 * (uuid of `<manager>:<event id>:<step key>`) and `idempotencyKeyGiven: true`, and its context is the
 * business time of the triggering event (not the clock), so a re-run decides exactly the same command.
 * The checkpoint is saved only AFTER an event's steps succeeded. A crash between a step and the
 * checkpoint therefore re-runs the step, which the handler recognises (the primary stream already holds
 * events caused by that command id) and replays without writing — at-least-once delivery, exactly-once
 * effect.
 *
 * A step refused with a DomainError is logged (code only, never payload) and skipped: the refusal is a
 * deterministic decision on the same data, so retrying would block every later event for nothing.
 * Any other error (database down) stops the batch without moving the checkpoint; `start()` retries with
 * backoff, `runUntilCaughtUp()` rejects.
 *
 * Two runners of the same manager (two projector processes) would both try each step; the deterministic
 * ids make the second a replay or a version conflict that retries into a replay, so nothing is doubled.
 */
export class ProcessManagerRunner {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;
  private readonly actor: Actor;
  private readonly handles: ReadonlySet<string>;
  private lock: Promise<unknown> = Promise.resolve();
  private running = false;
  private loopDone?: Promise<void>;
  private unsubscribe?: () => void;
  private wakePending = false;
  private wakeSleeper?: () => void;
  /** the checkpoint as this runner last saved it (see catchUpFrom) */
  private saved?: number;

  constructor(private readonly options: ProcessManagerRunnerOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.actor = options.actor ?? PROCESS_MANAGER_ACTOR;
    this.handles = new Set(options.manager.handles);
  }

  get name(): string {
    return this.options.manager.name;
  }

  /** The command id of one step: the same event and key always give the same id. */
  static commandIdFor(manager: string, eventId: string, key: string): string {
    return uuidV5(`process-manager:${manager}:${eventId}:${key}`);
  }

  async checkpoint(): Promise<number> {
    const row = await this.options.dataSource.getRepository(ProcessManagerCheckpointEntity).findOneBy({ name: this.name });
    return row?.position ?? 0;
  }

  /** Process events until the log is exhausted. Returns the number of events read. */
  runUntilCaughtUp(): Promise<number> {
    return this.exclusive(() => this.catchUp());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.unsubscribe = this.options.store.onAppended(() => this.wake());
    this.loopDone = this.loop();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.unsubscribe?.();
    this.wake();
    await this.loopDone;
    await this.lock.catch(() => undefined);
  }

  /** Saved after an event's steps succeeded. Protected so a spec can simulate a crash right before it. */
  protected async saveCheckpoint(position: number): Promise<void> {
    await this.options.dataSource.getRepository(ProcessManagerCheckpointEntity).upsert({ name: this.name, position }, ['name']);
  }

  private async catchUp(): Promise<number> {
    try {
      return await this.catchUpFrom();
    } catch (e) {
      this.saved = undefined; // after any failure the table is the truth again
      throw e;
    }
  }

  private async save(position: number): Promise<void> {
    await this.saveCheckpoint(position);
    this.saved = position;
  }

  private async catchUpFrom(): Promise<number> {
    let total = 0;
    // Live, every append wakes the runner: the checkpoint this runner itself saved last is reused instead
    // of being read back each time (the relay does the same). Safe: this runner is the only writer of its
    // checkpoint while it is active; a second process running the same manager (a standby that took the
    // lease, see `isActive`) would at worst make this one repeat steps, which replay (deterministic
    // command ids) — and the value is dropped whenever this runner stands by or fails.
    let position = this.saved ?? (await this.checkpoint());
    for (;;) {
      const batch = await this.options.store.readAll(position, this.batchSize);
      if (batch.length === 0) return total;
      total += batch.length;
      for (const stored of batch) {
        if (!this.handles.has(stored.type)) continue;
        const event = this.options.transform ? this.options.transform(stored) : stored;
        for (const step of this.options.manager.stepsFor(event)) await this.runStep(event, step);
        // each reacted-to event is checkpointed on its own, so a failure later in the batch repeats nothing before it
        await this.save(event.position);
      }
      position = (batch[batch.length - 1] as StoredEvent).position;
      await this.save(position);
    }
  }

  private async runStep(event: StoredEvent, step: ProcessStep): Promise<void> {
    const at = event.metadata.occurredAt;
    const meta: CommandMeta = {
      commandId: ProcessManagerRunner.commandIdFor(this.name, event.eventId, step.key),
      correlationId: event.metadata.correlationId,
      idempotencyKeyGiven: true,
      ctx: { actor: this.actor, at, today: shanghaiDateOf(new Date(at)) },
    };
    try {
      await step.run(this.options.handler, meta);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      this.options.logger?.error(`process manager ${this.name}: step ${step.key} of event ${event.eventId} (position ${event.position}) refused: ${e.code}`);
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn, fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  private wake(): void {
    this.wakePending = true;
    this.wakeSleeper?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.wakePending = false;
      if (this.options.isActive && !this.options.isActive()) {
        this.saved = undefined; // while standing by, the active process moves the checkpoint
        await this.sleep(this.pollIntervalMs);
        continue;
      }
      try {
        await this.runUntilCaughtUp();
        failures = 0;
      } catch (e) {
        failures += 1;
        const err = e instanceof Error ? e : new Error(String(e));
        this.options.logger?.error(`process manager ${this.name} failed (attempt ${failures}): ${err.name}`, err.stack);
      }
      if (!this.running) break;
      if (this.wakePending && failures === 0) continue;
      await this.sleep(failures === 0 ? this.pollIntervalMs : Math.min(this.maxBackoffMs, 250 * 2 ** Math.min(failures, 10)));
    }
  }
}
