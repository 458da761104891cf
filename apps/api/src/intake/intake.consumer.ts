import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import { DomainError, shanghaiDateOf, streams } from '@coord/domain';
import { EVENT_STORE, IdempotencyConflictError, type CommandResult, type EventStore } from '@coord/event-store';
import { createKafka, ensureTopics, messagingLoggerFrom, prefixed, TOPICS } from '@coord/messaging';
import { APP_CONFIG, type AppConfig, type KafkaConfig } from '@coord/platform';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { assertAllowed } from '../auth/authorization/authorizer';
import { INTAKE_ACTIONS } from '../auth/authorization/policy';
import { InputProblem, toProblem, type Problem } from '../http/problem-details';
import { createValidationPipe } from '../http/validation';
import { deadLetterValue, parseIntake } from './intake-message';

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
 * Per message, in partition order:
 *  - valid and accepted → its events are stored, THEN the offset is committed (a crash in between
 *    redelivers it; the command id derived from (agency, kind, key) makes the repeat a replay that writes
 *    nothing);
 *  - invalid (not JSON, refused by validation, by a decider, unknown agency, key misuse) → copied to
 *    `coord.intake.dlq.v1` with the reason in headers (the problem+json mapping of the HTTP API; informant
 *    redacted), then committed: a malformed message never stops the consumer;
 *  - transient failure (store or broker unavailable, a concurrent write to the same case) → not committed;
 *    retried in place with backoff, the partition waits (its order is kept).
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
   * One fetched batch of one partition, in offset order. Each message is applied (or dead-lettered) before
   * the next one starts; the offsets are committed in groups — after COMMIT_EVERY messages, before any
   * retry pause, and at the end of the batch — instead of one commit round trip per message. The rule
   * stays "events stored, then offset committed": a commit only ever covers messages already applied.
   * A crash between an apply and its commit redelivers a few more messages than one-by-one commits did;
   * each is a replay (the command id follows from the agency's key) that writes nothing, and a redelivered
   * refused message is dead-lettered again (the dead-letter topic is at-least-once, as it already was).
   * Outcome observers hear of a message once its offset is committed.
   */
  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload, dlqTopic: string): Promise<void> {
    const { topic, partition } = batch;
    let pending: { offset: string; outcomes: IntakeOutcome[] } | undefined;
    const commit = async () => {
      if (!pending) return;
      const done = pending;
      await this.consumer!.commitOffsets([{ topic, partition, offset: (BigInt(done.offset) + 1n).toString() }]);
      pending = undefined;
      for (const outcome of done.outcomes) for (const o of this.outcomes) o(outcome);
    };
    try {
      for (const message of batch.messages) {
        // stopping, or the partition was reassigned/seeked: leave the rest (uncommitted) to the next fetch
        if (!isRunning() || isStale()) break;
        const outcome = await this.handle(topic, partition, message, dlqTopic, heartbeat, commit);
        resolveOffset(message.offset);
        if (pending) {
          pending.offset = message.offset;
          pending.outcomes.push(outcome);
        } else pending = { offset: message.offset, outcomes: [outcome] };
        if (pending.outcomes.length >= COMMIT_EVERY) {
          await commit();
          await heartbeat();
        }
      }
    } finally {
      // what was applied is committed even when the batch ends early (stop, rebalance, a thrown retry)
      await commit().catch((err: unknown) => this.logger.warn(`intake offsets of ${topic}/${partition} not committed (${describe(err)}); those messages will be redelivered and replayed`));
    }
  }

  /** Applies one message, retrying in place while the failure is transient; returns its outcome. */
  private async handle(
    topic: string,
    partition: number,
    message: KafkaMessage,
    dlqTopic: string,
    heartbeat: () => Promise<void>,
    commitApplied: () => Promise<void>,
  ): Promise<IntakeOutcome> {
    let backoff = 200;
    for (;;) {
      try {
        return await this.process(topic, partition, message, dlqTopic);
      } catch (err) {
        // transient: this message is not committed; retry in place so the partition keeps its order
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
  private async process(topic: string, partition: number, message: KafkaMessage, dlqTopic: string): Promise<IntakeOutcome> {
    const key = message.key?.toString() ?? null;
    const value = message.value?.toString() ?? null;
    const now = new Date();
    const today = shanghaiDateOf(now);
    let result: CommandResult;
    let parsed: Awaited<ReturnType<typeof parseIntake>>;
    try {
      parsed = await parseIntake({ key, value, correlationId: header(message, 'correlation-id') }, this.pipe, now, today);
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

/** Partitions whose batches are handled at the same time (each partition still strictly in order). */
const INTAKE_PARTITIONS_CONCURRENTLY = 3;

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
