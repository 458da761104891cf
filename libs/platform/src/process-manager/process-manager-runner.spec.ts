import { meetingDecider, SEED_AGENCIES, streams, type Actor, type MeetingCommand } from '@coord/domain';
import { CommandHandler, SqliteEventStore, type EventStore } from '@coord/event-store';
import { openTestReadModels } from '@coord/read-models/testing/read-model-data-source';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { schemaVersionOf } from '../infrastructure';
import { meetingDecisionsProcessManager, supervisionItemIdForAction } from './meeting-decisions.process-manager';
import { ProcessManagerRunner, type ProcessManagerRunnerOptions } from './process-manager-runner';

const office: Actor = { userId: 'u-office', username: 'office', role: 'office', agency: 'discipline-commission' };
const AT = '2026-03-16T02:00:00.000Z';
const TODAY = '2026-03-16';
const MEMBERS = SEED_AGENCIES.map((a) => ({ agency: a.code as string, groupRole: a.groupRole }));
const ALL = MEMBERS.map((m) => m.agency);
const ACTIONS = [
  { actionId: 'A1', title: '审计局牵头整改补贴资金问题', assigneeAgency: 'audit-bureau', dueOn: '2026-04-30' },
  { actionId: 'A2', title: '公安局通报涉案人员处理情况', assigneeAgency: 'public-security', dueOn: '2026-05-15' },
];

type Cmd = MeetingCommand extends infer C ? (C extends unknown ? Omit<C, 'ctx'> : never) : never;

async function meeting(handler: CommandHandler, meetingId: string, agreeing: number): Promise<void> {
  const run = (command: Cmd) =>
    handler.handle(meetingDecider, streams.meeting(meetingId), { ...command, ctx: { actor: office, at: AT, today: TODAY } } as MeetingCommand, {
      commandId: randomUUID(),
      idempotencyKeyGiven: false,
      ctx: { actor: office, at: AT, today: TODAY },
    });
  await run({ type: 'ScheduleMeeting', meetingId, kind: 'regular', title: '例会', scheduledOn: TODAY, topicCutoffOn: TODAY });
  await run({ type: 'ConveneMeeting', heldOn: TODAY, attendees: ALL, members: MEMBERS });
  await run({ type: 'ProposeMeetingDecision', decisionId: 'D1', title: '专项督办', actionItems: ACTIONS });
  // the principal leader (discipline-commission, first in the list) states last
  const order = [...ALL.slice(1), ALL[0] as string];
  for (const [i, agency] of order.entries()) {
    await run({ type: 'RecordMeetingStatement', decisionId: 'D1', agency, position: i < agreeing ? 'agree' : 'defer', reason: '理由' });
  }
  await run({ type: 'TakeMeetingDecision', decisionId: 'D1' });
}

async function opened(store: EventStore) {
  return (await store.readAll(0, 100_000)).filter((e) => e.type === 'supervision.opened');
}

describe('ProcessManagerRunner with the meeting-decisions manager (会议决定 → 督办)', () => {
  let store: EventStore;
  let dataSource: DataSource;
  let handler: CommandHandler;
  const options = (): ProcessManagerRunnerOptions => ({ store, handler, dataSource, manager: meetingDecisionsProcessManager });

  beforeEach(async () => {
    store = SqliteEventStore.open(':memory:');
    dataSource = await openTestReadModels();
    handler = new CommandHandler(store, { schemaVersionOf });
  });
  afterEach(async () => {
    await dataSource.destroy();
    await store.close();
  });

  it('given a passed decision with two action items, when the runner catches up, then two numbered supervision items are opened by the system', async () => {
    await meeting(handler, 'M1', 10);
    const runner = new ProcessManagerRunner(options());
    await runner.runUntilCaughtUp();
    const items = await opened(store);
    expect(items.map((e) => e.data)).toEqual([
      { itemId: supervisionItemIdForAction('M1', 'D1', 'A1'), itemNo: 'DB-2026-0001', title: ACTIONS[0]?.title, origin: 'meeting-decision', assigneeAgency: 'audit-bureau', dueOn: '2026-04-30', openedOn: TODAY },
      { itemId: supervisionItemIdForAction('M1', 'D1', 'A2'), itemNo: 'DB-2026-0002', title: ACTIONS[1]?.title, origin: 'meeting-decision', assigneeAgency: 'public-security', dueOn: '2026-05-15', openedOn: TODAY },
    ]);
    expect(items.every((e) => e.metadata.actor.role === 'system')).toBe(true);
    // the reaction happened at the business time of the decision, and is correlated with it
    const taken = (await store.readStream(streams.meeting('M1'))).find((e) => e.type === 'meeting.decision-taken');
    expect(items.every((e) => e.metadata.occurredAt === AT && e.metadata.correlationId === taken?.metadata.correlationId)).toBe(true);
    expect(await runner.checkpoint()).toBe(await store.headPosition());
  });

  it('given the runner already caught up, when a new runner starts from the same checkpoint table, then nothing more is opened', async () => {
    await meeting(handler, 'M1', 10);
    await new ProcessManagerRunner(options()).runUntilCaughtUp();
    const head = await store.headPosition();
    await new ProcessManagerRunner(options()).runUntilCaughtUp();
    expect(await opened(store)).toHaveLength(2);
    expect(await store.headPosition()).toBe(head);
  });

  it('given a crash after the commands and before the checkpoint, when the runner re-runs, then it replays and creates nothing twice', async () => {
    await meeting(handler, 'M1', 10);
    class CrashBeforeCheckpoint extends ProcessManagerRunner {
      protected override async saveCheckpoint(): Promise<void> {
        throw new Error('process killed before the checkpoint was saved');
      }
    }
    await expect(new CrashBeforeCheckpoint(options()).runUntilCaughtUp()).rejects.toThrow('process killed');
    expect(await opened(store)).toHaveLength(2);
    const afterCrash = await store.headPosition();
    const rerun = new ProcessManagerRunner(options());
    expect(await rerun.checkpoint()).toBe(0);
    await rerun.runUntilCaughtUp();
    expect(await opened(store)).toHaveLength(2);
    expect(await store.headPosition()).toBe(afterCrash); // not one event written by the re-run
    expect(await store.streamVersion(streams.ledger('supervision', 2026))).toBe(2); // no number drawn twice
    expect(await rerun.checkpoint()).toBe(afterCrash);
  });

  it('given a crash between the first and the second action item, when the runner re-runs, then the first is replayed and the second opened once', async () => {
    await meeting(handler, 'M1', 10);
    let calls = 0;
    const flaky = new CommandHandler(store, { schemaVersionOf });
    const execute = flaky.execute.bind(flaky);
    flaky.execute = async (...args) => {
      calls += 1;
      if (calls === 2) throw new Error('connection lost');
      return execute(...args);
    };
    await expect(new ProcessManagerRunner({ ...options(), handler: flaky }).runUntilCaughtUp()).rejects.toThrow('connection lost');
    expect(await opened(store)).toHaveLength(1);
    await new ProcessManagerRunner(options()).runUntilCaughtUp();
    expect((await opened(store)).map((e) => (e.data as { itemNo: string }).itemNo)).toEqual(['DB-2026-0001', 'DB-2026-0002']);
  });

  it('given the runner caught up, when it catches up again, then it starts from the checkpoint it saved (not read back), and after a failure from the table', async () => {
    await meeting(handler, 'M1', 10);
    let fail = false;
    const flaky = new CommandHandler(store, { schemaVersionOf });
    const execute = flaky.execute.bind(flaky);
    flaky.execute = async (...args) => {
      if (fail) throw new Error('connection lost');
      return execute(...args);
    };
    const runner = new ProcessManagerRunner({ ...options(), handler: flaky });
    const reads = jest.spyOn(runner, 'checkpoint');
    await runner.runUntilCaughtUp();
    await meeting(handler, 'M2', 10);
    await runner.runUntilCaughtUp();
    expect(reads).toHaveBeenCalledTimes(1);
    expect(await opened(store)).toHaveLength(4);
    fail = true;
    await meeting(handler, 'M3', 10);
    await expect(runner.runUntilCaughtUp()).rejects.toThrow('connection lost');
    fail = false;
    await runner.runUntilCaughtUp();
    expect(reads).toHaveBeenCalledTimes(2); // the failed run still started from the saved value; the retry reads the table
    expect(await opened(store)).toHaveLength(6);
    expect(await runner.checkpoint()).toBe(await store.headPosition());
  });

  it('given a decision that did not pass, then nothing is opened and the checkpoint moves on', async () => {
    await meeting(handler, 'M1', 5); // 5 of 10 who should attend: not more than half
    const runner = new ProcessManagerRunner(options());
    await runner.runUntilCaughtUp();
    expect(await opened(store)).toHaveLength(0);
    expect(await runner.checkpoint()).toBe(await store.headPosition());
  });

  it('given a step the domain refuses, then it is logged by its code and skipped, and later decisions still open their items', async () => {
    // a passed decision whose action item cannot be opened (due before the decision date): written raw,
    // as the meeting decider itself would refuse to take it
    await store.append(
      streams.meeting('M0'),
      [
        {
          eventId: randomUUID(),
          type: 'meeting.decision-taken',
          schemaVersion: 1,
          data: { meetingId: 'M0', decisionId: 'D1', passed: true, counts: { agree: 10, disagree: 0, defer: 0, present: 10, shouldAttend: 10 }, actionItems: [{ ...ACTIONS[0], dueOn: '2026-01-01' }], takenOn: TODAY },
          metadata: { occurredAt: AT, actor: { userId: 'u', username: 'office', role: 'office' }, correlationId: 'c', causationId: 'c' },
        },
      ],
      'any',
    );
    await meeting(handler, 'M1', 10);
    const errors: string[] = [];
    await new ProcessManagerRunner({ ...options(), logger: { log: () => undefined, error: (m) => errors.push(m) } }).runUntilCaughtUp();
    expect(errors).toEqual([expect.stringContaining('refused: due-date-in-past')]);
    expect(await opened(store)).toHaveLength(2);
  });

  it('started, it follows new appends and stops cleanly', async () => {
    const runner = new ProcessManagerRunner({ ...options(), pollIntervalMs: 20 });
    runner.start();
    await meeting(handler, 'M1', 10);
    for (let i = 0; i < 200 && (await opened(store)).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
    expect(await opened(store)).toHaveLength(2);
  });
});
