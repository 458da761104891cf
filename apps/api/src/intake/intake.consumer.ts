import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import { DomainError, shanghaiDateOf, streams } from '@coord/domain';
import { EVENT_STORE, IdempotencyConflictError, type CommandResult, type EventStore } from '@coord/event-store';
import { createKafka, ensureTopics, messagingLoggerFrom, prefixed, TOPICS } from '@coord/messaging';
import { APP_CONFIG, type AppConfig, type Infrastructure, type KafkaConfig } from '@coord/platform';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { assertAllowed } from '../auth/authorization/authorizer';
import { INTAKE_ACTIONS } from '../auth/authorization/policy';
import { InputProblem, toProblem, type Problem } from '../http/problem-details';
import { createValidationPipe } from '../http/validation';
import { INFRASTRUCTURE } from '../infrastructure/infrastructure.module';
import { CaseStepBusCommand } from '../cases/case.bus-commands';
import { derivedId } from '../http/command-context';
import { RegisterLeadBusCommand } from '../leads/lead.bus-commands';
import { deadLetterValue, parseIntake, type ParsedIntake } from './intake-message';

/** What happened to one intake message (for tests and metrics). */
export type IntakeOutcome = { status: 'applied'; replayed: boolean; commandId: string } | { status: 'dead-lettered'; code: string };

/**
 * The intake consumer: member agencies' systems submit leads and case progress reports on
 * `coord.intake.v1`.
 *
 * Why in the API process (not the projector): it APPLIES COMMANDS. Running it here, it validates with the
 * very ValidationPipe and DTO classes of the HTTP routes and sends the same CommandBus commands through the
 * same bus handlers (agency membership checks, ledger numbering, deciders), so Kafka and HTTP cannot drift
 * apart; the projector only reads the log. Every api replica joins one consumer group, so replicas share
 * the partitions and a replica that dies hands its partitions to the others.
 *
 * Per message (in partition order for messages sharing a key or a case; see handleBatch):
 *  - valid and accepted → its events are stored, THEN the offset is committed (a crash in between
 *    redelivers it; the command id derived from (agency, kind, key) makes the repeat a replay that writes
 *    nothing);
 *  - invalid (not JSON, refused by validation, by a decider, unknown agency, key misuse) → copied to
 *    `coord.intake.dlq.v1` with the reason in headers (the problem+json mapping of the HTTP API; informant
 *    redacted), then committed: a malformed message never stops the consumer;
 *  - transient failure (store or broker unavailable, a concurrent write to the same case) → not committed;
 *    retried in place with backoff; the messages sharing its key or case wait (their order is kept) and
 *    no offset commit passes it. Dead-letter copies of messages in different lanes may therefore be
 *    written in a different order than the originals (each carries its original offset in a header).
 */
@Injectable()
export class IntakeConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('intake');
  private readonly pipe = createValidationPipe();
  private consumer?: Consumer;
  private producer?: Producer;
  private stopping = false;
  private runLoop?: Promise<void>;
  private joined?: () => void;
  /** resolves once the consumer has joined its group (tests wait for it) */
  readonly ready: Promise<void> = new Promise((resolve) => (this.joined = resolve));
  /** counters for /metrics */
  readonly counts = { applied: 0, replayed: 0, deadLettered: 0, retried: 0 };
  /** observers of each outcome (tests; metrics) */
  readonly outcomes = new Set<(o: IntakeOutcome) => void>();

  constructor(
    private readonly bus: CommandBus,
    private readonly agencies: AgencyDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(INFRASTRUCTURE) private readonly infra: Pick<Infrastructure, 'vault'>,
  ) {}

  get enabled(): boolean {
    return this.config.kafka !== undefined;
  }

  onApplicationBootstrap(): void {
    const kafka = this.config.kafka;
    if (!kafka) return;
    // in the background: the api serves HTTP even while the broker is down, and the consumer joins later
    this.runLoop = this.startWithRetry(kafka);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.runLoop;
    await this.consumer?.disconnect().catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
  }

  // ---------------------------------------------------------------------------------------------------

  private async startWithRetry(kafka: KafkaConfig): Promise<void> {
    let backoff = 500;
    while (!this.stopping) {
      try {
        await this.start(kafka);
        return;
      } catch (err) {
        this.logger.warn(`intake consumer could not start (${describe(err)}); retrying in ${backoff} ms`);
        await this.consumer?.disconnect().catch(() => undefined);
        await this.producer?.disconnect().catch(() => undefined);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 15_000);
      }
    }
  }

  private async start(kafka: KafkaConfig): Promise<void> {
    // business checks need the seeded group (BootstrapService); wait for it rather than dead-letter
    while (!this.stopping && (await this.store.streamVersion(streams.group())) === 0) await sleep(200);
    const client = createKafka(kafka, messagingLoggerFrom(this.logger));
    const intakeTopic = prefixed(kafka.topicPrefix, TOPICS.intake);
    const dlqTopic = prefixed(kafka.topicPrefix, TOPICS.intakeDeadLetter);
    await ensureTopics(client, [intakeTopic, dlqTopic]);
    this.producer = client.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    const consumer = client.consumer({ groupId: kafka.intakeGroupId, sessionTimeout: 30_000, heartbeatInterval: 3000, allowAutoTopicCreation: false });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => this.joined?.());
    await consumer.connect();
    // a new group reads from the beginning: submissions made before the first api start are not lost
    await consumer.subscribe({ topic: intakeTopic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      // offsets are resolved one by one, as messages are applied: never past an unprocessed message
      eachBatchAutoResolve: false,
      // partitions are independent (order is per partition, i.e. per key), so each one's batch may run
      // while another's waits for the broker; within a partition messages still go strictly one by one
      partitionsConsumedConcurrently: INTAKE_PARTITIONS_CONCURRENTLY,
      eachBatch: (payload) => this.handleBatch(payload, dlqTopic),
    });
    this.logger.log(`intake consumer running on ${intakeTopic} (group ${kafka.intakeGroupId})`);
  }

  /**
   * One fetched batch of one partition.
   *
   * First every message is parsed and validated (CPU only), and the data keys of the leads that carry an
   * informant are created in one go (ConfidentialVault.provision: one durable key-store transaction for
   * the batch instead of one inside each command). Then the messages are applied CONCURRENTLY across
   * lanes, at most INTAKE_APPLY_CONCURRENCY at a time: a message waits for every earlier message of the
   * batch that shares a lane with it — the same message key (a redelivery, a key reused) or, for a
   * progress report, the same case — so whatever could depend on order still goes strictly in offset
   * order, while independent submissions overlap their store round trips (and an event store that commits
   * concurrent appends together can do so).
   *
   * Offsets: a message counts as done once applied or dead-lettered; the committed offset only ever
   * covers the unbroken run of done messages from the batch's start (OffsetRun), so "events stored, then
   * offset committed" holds however the lanes finish. It is committed after COMMIT_EVERY more, before a
   * retry pause, and at the end of the batch. A message that keeps failing transiently is retried in
   * place; its lane waits, other lanes go on, but no commit passes it. A crash between an apply and its
   * commit redelivers the messages after the last commit: each is a replay (the command id follows from
   * the agency's key) that writes nothing, and a redelivered refused message is dead-lettered again (the
   * dead-letter topic is at-least-once). Outcome observers hear of messages in offset order, once their
   * offset is committed.
   */
  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload, dlqTopic: string): Promise<void> {
    const { topic, partition } = batch;
    const messages = batch.messages;
    const run = new OffsetRun(messages.map((m) => m.offset));
    let committing: Promise<void> = Promise.resolve();
    const commit = (): Promise<void> => {
      const next = committing.then(async () => {
        const upTo = run.doneUpTo;
        if (upTo <= run.committedUpTo) return;
        const offset = messages[upTo - 1]!.offset;
        resolveOffset(offset);
        await this.consumer!.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
        for (const outcome of run.commit(upTo)) for (const o of this.outcomes) o(outcome);
      });
      committing = next.catch(() => undefined);
      return next;
    };

    const now = new Date();
    const today = shanghaiDateOf(now);
    const parsed = await Promise.all(messages.map((m) => this.parse(m, now, today)));
    await this.provisionDataKeys(parsed);

    const slots = new Slots(INTAKE_APPLY_CONCURRENCY);
    const lanes = new Map<string, Promise<void>>();
    const applying: Promise<void>[] = [];
    messages.forEach((message, i) => {
      const lanesOf = laneKeys(message, parsed[i]!);
      const before = lanesOf.map((k) => lanes.get(k)).filter((p): p is Promise<void> => p !== undefined);
      const done = (async () => {
        await Promise.all(before); // a failed predecessor rejects this too: its lane stops here
        await slots.acquire();
        try {
          // stopping, or the partition was reassigned/seeked: leave it (uncommitted) to the next fetch
          if (!isRunning() || isStale()) throw new BatchLeftError();
          const outcome = await this.handle(topic, partition, message, dlqTopic, heartbeat, commit, parsed[i]!);
          run.done(i, outcome);
        } finally {
          slots.release();
        }
        if (run.doneUpTo - run.committedUpTo >= COMMIT_EVERY) {
          await commit();
          await heartbeat();
        }
      })();
      for (const k of lanesOf) lanes.set(k, done);
      applying.push(done);
    });
    const settled = await Promise.allSettled(applying);
    // what was applied is committed even when the batch ends early (stop, rebalance, a thrown retry)
    await commit().catch((err: unknown) => this.logger.warn(`intake offsets of ${topic}/${partition} not committed (${describe(err)}); those messages will be redelivered and replayed`));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof BatchLeftError));
    if (failed) throw failed.reason;
  }

  /** Parses one message ahead of applying it; a refusal is kept (as the error) for process() to dead-letter. */
  private async parse(message: KafkaMessage, now: Date, today: string): Promise<Parse> {
    try {
      return { parsed: await parseIntake({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, correlationId: header(message, 'correlation-id') }, this.pipe, now, today), at: now.getTime() };
    } catch (error) {
      return { error, at: now.getTime() };
    }
  }

  /**
   * Creates, in one go, the data keys the batch's leads with an informant will need (only an optimisation:
   * sealing creates a missing key itself, so a failure here is only logged). The lead's stream id follows
   * from its command id exactly as in RegisterLeadHandler; should the two ever differ, the key made here is
   * simply unused and the handler makes the right one.
   */
  private async provisionDataKeys(parsed: readonly Parse[]): Promise<void> {
    const leadStreams: string[] = [];
    for (const p of parsed) {
      const command = p.parsed?.command;
      if (command instanceof RegisterLeadBusCommand && command.body.informant) leadStreams.push(streams.lead(derivedId(command.meta, 'lead')));
    }
    if (leadStreams.length === 0) return;
    await this.infra.vault.provision(leadStreams).catch((err: unknown) => this.logger.warn(`intake data keys not created ahead (${describe(err)}); each command creates its own`));
  }

  /** Applies one message, retrying in place while the failure is transient; returns its outcome. */
  private async handle(
    topic: string,
    partition: number,
    message: KafkaMessage,
    dlqTopic: string,
    heartbeat: () => Promise<void>,
    commitApplied: () => Promise<void>,
    ahead?: Parse,
  ): Promise<IntakeOutcome> {
    let backoff = 200;
    for (let attempt = 0; ; attempt++) {
      try {
        // The first attempt uses the parse made ahead while it is fresh; a retry, or a message that waited
        // behind a retrying one in its lane, parses again: its clock (occurredAt, the business day that picks
        // the ledger year) must not be older than what its predecessors were applied with. Any wait that
        // includes a retry is at least the first backoff (200 ms), so 100 ms of age tells them apart.
        const fresh = attempt === 0 && ahead !== undefined && Date.now() - ahead.at < AHEAD_PARSE_MAX_AGE_MS;
        return await this.process(topic, partition, message, dlqTopic, fresh ? ahead : undefined);
      } catch (err) {
        // transient: this message is not committed; retry in place so its lane keeps its order
        if (this.stopping) throw err; // leave it uncommitted: the next owner of the partition gets it
        this.counts.retried += 1;
        this.logger.warn(`intake message ${topic}/${partition}@${message.offset} not applied yet (${describe(err)}); retrying in ${backoff} ms`);
        // the messages before it are applied: commit them now rather than after an outage of unknown length
        await commitApplied().catch(() => undefined);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 10_000);
        await heartbeat().catch(() => undefined);
      }
    }
  }

  /** Applies one message or dead-letters it; throws only for transient failures. */
  private async process(topic: string, partition: number, message: KafkaMessage, dlqTopic: string, ahead?: Parse): Promise<IntakeOutcome> {
    const key = message.key?.toString() ?? null;
    const value = message.value?.toString() ?? null;
    let result: CommandResult;
    let parsed: ParsedIntake;
    try {
      if (ahead?.parsed) parsed = ahead.parsed;
      else if (ahead) throw ahead.error;
      else {
        const now = new Date();
        parsed = await parseIntake({ key, value, correlationId: header(message, 'correlation-id') }, this.pipe, now, shanghaiDateOf(now));
      }
      const today = parsed.command.meta.ctx.today;
      // the envelope's agency is the actor: it must be a member, like a signed-in agency user's
      await this.agencies.assertMember(parsed.agency, 'agency', today);
      // the same policy table as HTTP decides what an agency's system may submit (refusal → DLQ)
      assertAllowed(parsed.command.meta.ctx.actor, INTAKE_ACTIONS[parsed.kind]);
      result = await this.bus.execute(parsed.command);
    } catch (err) {
      if (!isPermanent(err)) throw err;
      const problem = toProblem(err);
      await this.deadLetter(dlqTopic, { topic, partition, offset: message.offset, key, value }, problem);
      this.counts.deadLettered += 1;
      // facts only: never the message value (it may hold an informant)
      this.logger.warn(`intake message ${topic}/${partition}@${message.offset} dead-lettered: ${problem.code}`);
      return { status: 'dead-lettered', code: problem.code };
    }
    if (result.replayed) this.counts.replayed += 1;
    else this.counts.applied += 1;
    this.logger.log(`intake ${parsed.kind} from ${parsed.agency} applied at position ${result.position}${result.replayed ? ' (redelivery: replayed, nothing written)' : ''}`);
    return { status: 'applied', replayed: result.replayed, commandId: parsed.command.meta.commandId };
  }

  private async deadLetter(dlqTopic: string, original: { topic: string; partition: number; offset: string; key: string | null; value: string | null }, problem: Problem): Promise<void> {
    const copy = deadLetterValue(original.value);
    await this.producer!.send({
      topic: dlqTopic,
      acks: -1,
      messages: [
        {
          key: original.key,
          value: copy.value,
          headers: {
            'dlq-code': problem.code,
            'dlq-status': String(problem.status),
            'dlq-title': problem.title,
            ...(problem.detail ? { 'dlq-detail': problem.detail } : {}),
            'dlq-problem': JSON.stringify(problem),
            'dlq-errors': JSON.stringify(problem.errors ?? []),
            'original-topic': original.topic,
            'original-partition': String(original.partition),
            'original-offset': original.offset,
            ...(copy.withheld ? { 'dlq-value-withheld': 'value is not JSON and may contain informant data' } : {}),
            'dlq-at': new Date().toISOString(),
          },
        },
      ],
    });
  }
}

/** Applied messages per offset commit within a batch (a batch's end always commits). */
const COMMIT_EVERY = 100;

/** Partitions whose batches are handled at the same time (within each, see handleBatch). */
const INTAKE_PARTITIONS_CONCURRENTLY = 3;

/** Messages of one partition's batch being applied at the same time (in different lanes). */
export const INTAKE_APPLY_CONCURRENCY = 16;

/** A message parsed ahead: the command, or the refusal process() dead-letters. */
type Parse = ({ parsed: ParsedIntake; error?: undefined } | { parsed?: undefined; error: unknown }) & { at: number };

const AHEAD_PARSE_MAX_AGE_MS = 100;

/**
 * The lanes a message belongs to: its key (a redelivery or a reused key must follow the first) and, for a
 * progress report, its case (reports on one case keep their order whatever their keys). A message without
 * a key, or one that could not be parsed, has only its key's lane; it is dead-lettered anyway.
 */
export function laneKeys(message: Pick<KafkaMessage, 'key'>, parse: Parse): string[] {
  const lanes = [`key:${message.key?.toString() ?? ''}`];
  const command = parse.parsed?.command;
  if (command instanceof CaseStepBusCommand) lanes.push(`case:${command.caseId}`);
  return lanes;
}

/** Thrown for a message not started because the batch was left (stop, rebalance): not a failure. */
class BatchLeftError extends Error {}

/**
 * Which messages of a batch are done (applied or dead-lettered), with their outcomes, and how far the
 * unbroken run of done messages from the batch's start reaches: the only part that may be committed.
 */
export class OffsetRun<O = IntakeOutcome> {
  private readonly outcomes: (O | undefined)[];
  private readonly isDone: boolean[];
  /** messages [0, doneUpTo) are all done */
  doneUpTo = 0;
  /** messages [0, committedUpTo) are committed */
  committedUpTo = 0;

  constructor(readonly offsets: readonly string[]) {
    this.outcomes = offsets.map(() => undefined);
    this.isDone = offsets.map(() => false);
  }

  done(index: number, outcome: O): void {
    this.isDone[index] = true;
    this.outcomes[index] = outcome;
    while (this.doneUpTo < this.isDone.length && this.isDone[this.doneUpTo]) this.doneUpTo += 1;
  }

  /** Records [committedUpTo, upTo) as committed; returns their outcomes in offset order. */
  commit(upTo: number): O[] {
    if (upTo > this.doneUpTo) throw new RangeError('only done messages can be committed');
    const newly = this.outcomes.slice(this.committedUpTo, upTo) as O[];
    this.committedUpTo = Math.max(this.committedUpTo, upTo);
    return newly;
  }
}

/** A counting semaphore: at most `size` holders at a time, waiters served in arrival order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free -= 1;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free += 1;
  }
}

/** Errors that will never go away by retrying: the message itself is at fault. */
function isPermanent(err: unknown): boolean {
  return err instanceof InputProblem || err instanceof DomainError || err instanceof IdempotencyConflictError;
}

function header(message: KafkaMessage, name: string): string | undefined {
  const v = message.headers?.[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first === undefined ? undefined : first.toString();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
