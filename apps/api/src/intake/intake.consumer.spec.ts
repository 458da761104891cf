import type { CommandBus } from '@nestjs/cqrs';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { shanghaiDateOf, streams } from '@coord/domain';
import type { EventStore } from '@coord/event-store';
import type { AppConfig, Infrastructure } from '@coord/platform';
import type { AgencyDirectory } from '../agencies/agency-directory.service';
import { CaseStepBusCommand } from '../cases/case.bus-commands';
import { derivedId } from '../http/command-context';
import { RegisterLeadBusCommand } from '../leads/lead.bus-commands';
import { IntakeConsumer, OffsetRun, type IntakeOutcome } from './intake.consumer';

/**
 * handleBatch without a broker: a fake bus whose commands the test finishes one by one, so the order in
 * which submissions start, finish and get their offsets committed is observed exactly.
 */

const today = shanghaiDateOf(new Date());
const lead = (allegation: string, informant = false) =>
  JSON.stringify({
    kind: 'lead',
    agency: 'audit-bureau',
    body: {
      source: 'audit-finding',
      reportingAgency: 'audit-bureau',
      subject: { name: '王某某', post: '局长', unit: '县住建局' },
      allegation,
      receivedOn: today,
      ...(informant ? { informant: { name: '李举报', contact: '13700000000' } } : {}),
    },
  });
const report = (caseId: string, summary: string) => JSON.stringify({ kind: 'progress-report', agency: 'audit-bureau', caseId, body: { stage: 'verification', summary, reportedOn: today } });

/** what a command stands for in these tests: a lead's allegation or a report's summary */
const labelOf = (command: RegisterLeadBusCommand | CaseStepBusCommand): string =>
  command instanceof RegisterLeadBusCommand ? command.body.allegation : (command.command as { summary: string }).summary;

function harness() {
  const started: string[] = [];
  const finish = new Map<string, { resolve: () => void; reject: (e: unknown) => void }>();
  const failing = new Map<string, number>();
  const bus = {
    execute: jest.fn((command: RegisterLeadBusCommand | CaseStepBusCommand) => {
      const label = labelOf(command);
      started.push(label);
      const failures = failing.get(label) ?? 0;
      if (failures > 0) {
        failing.set(label, failures - 1);
        return Promise.reject(new Error('database is locked')); // transient: retried in place
      }
      return new Promise((resolve, reject) => {
        finish.set(label, { resolve: () => resolve({ replayed: false, position: started.length, events: [], streams: [], version: 1 }), reject });
      });
    }),
  };
  const provision = jest.fn(async (_streams: readonly string[]) => undefined);
  const consumer = new IntakeConsumer(
    bus as unknown as CommandBus,
    { assertMember: async () => undefined } as unknown as AgencyDirectory,
    {} as EventStore,
    {} as AppConfig,
    { vault: { provision } } as unknown as Pick<Infrastructure, 'vault'>,
  );
  const commits: string[] = [];
  const outcomes: IntakeOutcome[] = [];
  consumer.outcomes.add((o) => outcomes.push(o));
  const internals = consumer as unknown as {
    consumer: { commitOffsets(o: { offset: string }[]): Promise<void> };
    producer: { send(): Promise<void> };
    handleBatch(payload: EachBatchPayload, dlqTopic: string): Promise<void>;
  };
  internals.consumer = { commitOffsets: async ([o]) => void commits.push(o!.offset) };
  internals.producer = { send: async () => undefined };

  const run = (values: { key: string; value: string }[]) => {
    const messages = values.map((v, i) => ({ key: Buffer.from(v.key), value: Buffer.from(v.value), offset: String(i), headers: {} }) as unknown as KafkaMessage);
    return internals.handleBatch(
      {
        batch: { topic: 'coord.intake.v1', partition: 0, messages },
        resolveOffset: () => undefined,
        heartbeat: async () => undefined,
        isRunning: () => true,
        isStale: () => false,
      } as unknown as EachBatchPayload,
      'coord.intake.dlq.v1',
    );
  };
  const done = async (label: string) => {
    await until(() => finish.has(label), label);
    finish.get(label)!.resolve();
    finish.delete(label);
    await settle();
  };
  const fail = async (label: string, error: Error) => {
    await until(() => finish.has(label), label);
    finish.get(label)!.reject(error);
    finish.delete(label);
    await settle();
  };
  return { consumer, bus, provision, started, commits, outcomes, run, done, fail, failTimes: (label: string, n: number) => void failing.set(label, n) };
}

const settle = async () => {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
};

async function until(condition: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('IntakeConsumer.handleBatch: submissions applied concurrently across keys, in order within one', () => {
  it('given two submissions with the same key around one with another key, then the other key runs alongside while the second waits for the first', async () => {
    const h = harness();
    const batch = h.run([
      { key: 'agency-key-a', value: lead('a-first') },
      { key: 'agency-key-b', value: lead('b-only') },
      { key: 'agency-key-a', value: lead('a-second') },
    ]);
    await settle();

    expect(h.started).toEqual(['a-first', 'b-only']);
    await h.done('b-only');
    expect(h.started).toEqual(['a-first', 'b-only']); // a-second still waits for a-first
    await h.done('a-first');
    expect(h.started).toEqual(['a-first', 'b-only', 'a-second']);
    await h.done('a-second');
    await batch;

    expect(h.commits).toEqual(['3']);
    // outcomes are reported in offset order, once committed, although b-only finished first
    expect(h.outcomes).toHaveLength(3);
    expect(h.outcomes.every((o) => o.status === 'applied')).toBe(true);
  });

  it('given progress reports on one case under different keys, then the later one starts only after the earlier one is applied', async () => {
    const h = harness();
    const caseId = '8f1c7d1e-5a9b-4c61-9a1f-0d2b3c4d5e6f';
    const batch = h.run([
      { key: 'agency-report-1', value: report(caseId, 'first report') },
      { key: 'agency-report-2', value: report(caseId, 'second report') },
      { key: 'agency-lead-1', value: lead('unrelated lead') },
    ]);
    await settle();

    expect(h.started).toEqual(['first report', 'unrelated lead']);
    await h.done('first report');
    expect(h.started).toEqual(['first report', 'unrelated lead', 'second report']);
    await h.done('second report');
    await h.done('unrelated lead');
    await batch;
    expect(h.commits).toEqual(['3']);
  });

  it('given a submission failing transiently while later ones are applied, then no commit passes it until it is applied itself', async () => {
    const h = harness();
    h.failTimes('second', 2);
    const batch = h.run([
      { key: 'agency-key-1', value: lead('first') },
      { key: 'agency-key-2', value: lead('second') },
      { key: 'agency-key-3', value: lead('third') },
    ]);
    await h.done('first');
    await h.done('third');
    // 'second' fails again on its first retry, after 'first' and 'third' are applied: the commit made
    // before the next retry pause covers 'first' only, never 'third' past it
    await until(() => h.commits.length > 0, 'the commit before the second retry pause');
    expect(h.commits).toEqual(['1']);
    expect(h.outcomes).toHaveLength(1);

    await h.done('second'); // the retry
    await batch;
    expect(h.commits).toEqual(['1', '3']);
    expect(h.outcomes).toHaveLength(3);
    expect(h.consumer.counts.retried).toBe(2);
  });

  it('given a submission waiting behind a retried one in its lane, then it is applied with a clock no older than its predecessor’s retry', async () => {
    const h = harness();
    h.failTimes('a-first', 1);
    const batch = h.run([
      { key: 'agency-key-a', value: lead('a-first') },
      { key: 'agency-key-a', value: lead('a-second') },
    ]);
    await h.done('a-first'); // its retry, after the 200 ms backoff, parsed again with a fresh clock
    await h.done('a-second');
    await batch;
    const at = (label: string) =>
      h.bus.execute.mock.calls
        .map(([c]) => c as RegisterLeadBusCommand)
        .filter((c) => c.body.allegation === label)
        .map((c) => c.meta.ctx.at);
    const [firstTry, retry] = at('a-first');
    expect(retry! > firstTry!).toBe(true);
    // the batch's parse made ahead is older than the retry: a-second was parsed again, not applied with it
    expect(at('a-second')[0]! >= retry!).toBe(true);
  });

  it('given the consumer stops while a submission fails, then the batch ends with that failure, committing only what precedes it', async () => {
    const h = harness();
    const batch = h.run([
      { key: 'agency-key-1', value: lead('first') },
      { key: 'agency-key-2', value: lead('failing') },
      { key: 'agency-key-3', value: lead('third') },
    ]);
    const ended = batch.then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    await h.done('first');
    await h.done('third');
    (h.consumer as unknown as { stopping: boolean }).stopping = true;

    await h.fail('failing', new Error('store unavailable'));

    expect(await ended).toBe('store unavailable');
    expect(h.commits).toEqual(['1']);
    expect(h.outcomes).toHaveLength(1);
  });

  it('given leads with and without an informant, then the data keys of exactly those with one are created ahead, in one call', async () => {
    const h = harness();
    const batch = h.run([
      { key: 'agency-with-informant', value: lead('with', true) },
      { key: 'agency-without-informant', value: lead('without') },
    ]);
    await h.done('with');
    await h.done('without');
    await batch;

    const command = h.bus.execute.mock.calls[0]![0] as RegisterLeadBusCommand;
    expect(h.provision).toHaveBeenCalledTimes(1);
    expect(h.provision).toHaveBeenCalledWith([streams.lead(derivedId(command.meta, 'lead'))]);
  });
});

describe('OffsetRun', () => {
  it('given messages done out of order, then only the unbroken run from the start can be committed, with outcomes in offset order', () => {
    const run = new OffsetRun<string>(['10', '11', '12', '13']);
    run.done(2, 'c');
    run.done(1, 'b');
    expect(run.doneUpTo).toBe(0);
    run.done(0, 'a');
    expect(run.doneUpTo).toBe(3);
    expect(run.commit(3)).toEqual(['a', 'b', 'c']);
    expect(() => run.commit(4)).toThrow(RangeError);
  });
});
