import { EVENT_SCHEMA_VERSIONS, streams, type Actor, type CoordinationEventType } from '@coord/domain';
import { leadDecider, supervisionDecider } from '@coord/domain';
import { CommandHandler, SqliteEventStore } from '@coord/event-store';
import { ALL_PROJECTIONS, ProjectionRunner, READ_MODEL_ENTITIES, READ_MODEL_MIGRATIONS } from '@coord/read-models';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { ClockConfig, ReminderConfig } from '../app-config';
import { DeadlineScheduler } from './deadline-scheduler';

const office: Actor = { userId: 'u-office', username: 'office', role: 'office', agency: 'discipline-commission' };
const audit: Actor = { userId: 'u-audit', username: 'audit', role: 'agency', agency: 'audit-bureau' };
const ctx = (actor: Actor, today: string) => ({ actor, at: `${today}T02:00:00.000Z`, today });
const meta = (id: string, today: string, actor: Actor = office) => ({ commandId: id, idempotencyKeyGiven: false, ctx: ctx(actor, today) });
/** 10:00 in Shanghai on that date */
const at = (date: string) => new Date(`${date}T02:00:00.000Z`);

const clocks: ClockConfig = {
  transferAcknowledgeWorkingDays: 5,
  transferDecisionWorkingDays: 5,
  leadDispositionWorkingDays: 15,
  dispositionWorkingDays: { 'talk-inquiry': 30, 'preliminary-verification': 15 },
  majorCaseProgressDays: 30,
};
const reminders: ReminderConfig = {
  enabled: true,
  tickIntervalMs: 0,
  supervision: { remindBeforeWorkingDays: [3, 1], escalateAfterDays: [1, 5, 10] },
  leadClocks: { remindBeforeWorkingDays: [1], escalateAfterDays: [1, 5] },
};

describe('DeadlineScheduler (durable: a table of open deadlines, deterministic command ids)', () => {
  let store: SqliteEventStore;
  let ds: DataSource;
  let handler: CommandHandler;
  let runner: ProjectionRunner;
  const scheduler = () => new DeadlineScheduler({ store, handler, dataSource: ds, clocks, reminders });
  const reminderTypes = async (streamId: string) =>
    (await store.readStream(streamId)).filter((e) => /reminder-sent|escalated/.test(e.type)).map((e) => `${e.type} ${(e.data as { step: string }).step}`);

  beforeEach(async () => {
    store = SqliteEventStore.open(':memory:');
    handler = new CommandHandler(store, { schemaVersionOf: (t) => EVENT_SCHEMA_VERSIONS[t as CoordinationEventType] });
    ds = await new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [...READ_MODEL_ENTITIES], migrations: [...READ_MODEL_MIGRATIONS], migrationsRun: true, logging: false } as DataSourceOptions).initialize();
    runner = new ProjectionRunner({ store, dataSource: ds, projections: ALL_PROJECTIONS });
    // due Tue 2026-03-31
    await handler.handle(supervisionDecider, streams.supervision('S1'), { type: 'OpenSupervisionItem', itemId: 'S1', itemNo: 'DB-2026-0001', title: '整改补贴问题', origin: 'office', assigneeAgency: 'audit-bureau', dueOn: '2026-03-31', ctx: ctx(office, '2026-03-02') }, meta('c-open', '2026-03-02'));
    await runner.runUntilCaughtUp();
  });
  afterEach(async () => {
    await ds.destroy();
    await store.close();
  });

  it('given an item due 03-31, when ticking day by day, then each rung fires once, on its day, in the item’s own stream', async () => {
    const s = scheduler();
    for (const day of ['2026-03-20', '2026-03-26', '2026-03-27', '2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02', '2026-04-06', '2026-04-11']) {
      await s.tick(at(day));
      await runner.runUntilCaughtUp();
    }
    expect(await reminderTypes('supervision-S1')).toEqual([
      'supervision.reminder-sent before-3',
      'supervision.reminder-sent before-1',
      'supervision.escalated after-1',
      'supervision.escalated after-5',
      'supervision.escalated after-10',
    ]);
    const escalations = (await store.readStream('supervision-S1')).filter((e) => e.type === 'supervision.escalated').map((e) => e.data);
    expect(escalations[1]).toMatchObject({ level: 2, daysOverdue: 6, toRole: 'group-leader', dueOn: '2026-03-31', escalatedOn: '2026-04-06', agency: 'audit-bureau' });
    expect((await store.readStream('supervision-S1')).at(-1)?.metadata.actor).toEqual({ userId: 'system:deadline-scheduler', username: 'deadline-scheduler', role: 'system' });
  });

  it('a re-fire before the read model caught up (a crash after the append) is a replay: nothing new is written', async () => {
    const first = await scheduler().tick(at('2026-03-26'));
    // no projection in between: the table still says nothing fired
    const again = await scheduler().tick(at('2026-03-26'));
    expect(first.fired).toEqual([{ deadlineId: 'supervision-item:S1', step: 'before-3', dueOn: '2026-03-31', written: true, position: 2 }]);
    expect(again.fired).toEqual([{ deadlineId: 'supervision-item:S1', step: 'before-3', dueOn: '2026-03-31', written: false, position: 2 }]);
    await runner.runUntilCaughtUp();
    // once projected, the table itself skips it: no command at all
    expect((await scheduler().tick(at('2026-03-27'))).fired).toEqual([]);
    expect(await reminderTypes('supervision-S1')).toEqual(['supervision.reminder-sent before-3']);
  });

  it('concurrent ticks of two schedulers (two processes) record the rung once', async () => {
    await Promise.all([scheduler().tick(at('2026-04-02')), scheduler().tick(at('2026-04-02')), scheduler().tick(at('2026-04-02'))]);
    expect(await reminderTypes('supervision-S1')).toEqual(['supervision.escalated after-1']);
  });

  it('an extension restarts the ladder for the new due date; a reported result stops the chasing', async () => {
    await scheduler().tick(at('2026-03-26'));
    await handler.handle(supervisionDecider, streams.supervision('S1'), { type: 'RequestExtension', requestId: 'E1', newDueOn: '2026-04-30', reason: '需补充材料', ctx: ctx(audit, '2026-03-27') }, meta('c-ext', '2026-03-27', audit));
    await handler.handle(supervisionDecider, streams.supervision('S1'), { type: 'ApproveExtension', requestId: 'E1', ctx: ctx(office, '2026-03-27') }, meta('c-appr', '2026-03-27'));
    await runner.runUntilCaughtUp();
    expect((await scheduler().tick(at('2026-04-02'))).fired).toEqual([]); // the old due date no longer counts
    expect((await scheduler().tick(at('2026-04-27'))).fired.map((f) => [f.step, f.dueOn])).toEqual([['before-3', '2026-04-30']]);
    await handler.handle(supervisionDecider, streams.supervision('S1'), { type: 'ReportSupervisionResult', resultId: 'R1', summary: '已整改', ctx: ctx(audit, '2026-04-28') }, meta('c-res', '2026-04-28', audit));
    await runner.runUntilCaughtUp();
    expect((await scheduler().tick(at('2026-05-10'))).fired).toEqual([]);
    expect(await reminderTypes('supervision-S1')).toEqual(['supervision.reminder-sent before-3', 'supervision.reminder-sent before-3']);
  });

  it('a transfer nobody acknowledged: reminded the working day before its 5-working-day clock ends, escalated after; the calendar’s holidays count', async () => {
    await store.append(streams.calendar(), [{ eventId: '00000000-0000-4000-8000-000000000c01', type: 'calendar.holiday-declared', schemaVersion: 1, data: { date: '2026-03-06', name: '假日' }, metadata: { occurredAt: '2026-03-01T00:00:00.000Z', actor: office, correlationId: 'x', causationId: 'x' } }], 'any');
    const lead = streams.lead('L1');
    await handler.handle(leadDecider, lead, { type: 'RegisterLead', leadId: 'L1', ledgerNo: 'LC-2026-0001', source: 'petition', reportingAgency: 'audit-bureau', subject: { name: '王某', post: '局长', unit: '县住建局' }, allegation: '收受好处费', receivedOn: '2026-03-02', important: false, informant: { name: '举报人甲', contact: '1' }, ctx: ctx(audit, '2026-03-02') }, meta('c-reg', '2026-03-02', audit));
    await handler.handle(leadDecider, lead, { type: 'TransferLead', transferId: 'T1', toAgency: 'public-security', letterNo: '审移1号', reason: '管辖', ctx: ctx(audit, '2026-03-02') }, meta('c-tr', '2026-03-02', audit));
    await runner.runUntilCaughtUp();
    // 5 working days from Mon 03-02 with Fri 03-06 off: 03-03, 04, 05, 09, 10 → due Tue 03-10; reminder Mon 03-09
    const s = scheduler();
    expect((await s.tick(at('2026-03-06'))).fired.filter((f) => f.deadlineId.startsWith('transfer'))).toEqual([]);
    expect((await s.tick(at('2026-03-09'))).fired.filter((f) => f.deadlineId.startsWith('transfer'))).toEqual([{ deadlineId: 'transfer-acknowledgement:T1', step: 'before-1', dueOn: '2026-03-10', written: true, position: 5 }]);
    await runner.runUntilCaughtUp();
    await s.tick(at('2026-03-11'));
    const events = (await store.readStream(lead)).filter((e) => e.type.startsWith('lead.transfer-') && e.type !== 'lead.transfer-acknowledged');
    expect(events.map((e) => [e.type, (e.data as { step: string }).step])).toEqual([
      ['lead.transfer-reminder-sent', 'before-1'],
      ['lead.transfer-escalated', 'after-1'],
    ]);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain('举报人');
  });
});

describe('DeadlineScheduler.start', () => {
  it('ticks on its interval, not at boot, and not at all with interval 0', async () => {
    jest.useFakeTimers();
    try {
      let ticks = 0;
      const make = (tickIntervalMs: number) => {
        const s = new DeadlineScheduler({ store: {} as never, handler: {} as never, dataSource: { getRepository: () => undefined } as never, clocks, reminders: { ...reminders, tickIntervalMs } });
        jest.spyOn(s, 'tick').mockImplementation(async () => {
          ticks++;
          return { today: '', examined: 0, fired: [], failed: [] };
        });
        return s;
      };
      const off = make(0);
      off.start();
      const on = make(60_000);
      on.start();
      expect(ticks).toBe(0);
      jest.advanceTimersByTime(60_000);
      expect(ticks).toBe(1);
      jest.advanceTimersByTime(120_000);
      expect(ticks).toBe(3);
      await on.stop();
      jest.advanceTimersByTime(600_000);
      expect(ticks).toBe(3);
      await off.stop();
    } finally {
      jest.useRealTimers();
    }
  });
});
