import { DomainError, EVENT_SCHEMA_VERSIONS, streams, type CommandContext, type CoordinationEventType, type Decider, type DomainEvent, type LedgerKind } from '@coord/domain';
import { CommandHandler, SqliteEventStore, WrongExpectedVersionError, type CommandMeta, type EventStore } from '@coord/event-store';
import { randomUUID } from 'node:crypto';
import { executeWithLedgerNumber, type LedgerNumbering } from './ledger-numbering.plan';

type Opened = DomainEvent<'item.opened', { no: string }>;
/** a stand-in for the lead / case / supervision deciders: opens once, refuses on demand */
const item: Decider<{ no: string; refuse?: boolean }, { opened: boolean }, Opened> = {
  initialState: { opened: false },
  decide: (c, s) => {
    if (c.refuse) throw new DomainError('item-refused', '不予登记', 'invalid', 'title');
    return s.opened ? [] : [{ type: 'item.opened', data: { no: c.no } }];
  },
  evolve: () => ({ opened: true }),
};

// the stand-in's event type is not in the coordination contract
const schemaVersionOf = (t: string) => EVENT_SCHEMA_VERSIONS[t as CoordinationEventType] ?? 1;
const ctx: CommandContext = { actor: { userId: 'u-office', username: 'office', role: 'office' }, at: '2026-03-16T02:00:00.000Z', today: '2026-03-16' };
const meta = (): CommandMeta => ({ commandId: randomUUID(), idempotencyKeyGiven: false, ctx });

function open(handler: CommandHandler, itemId: string, extra: Partial<LedgerNumbering> = {}, beforeSteps?: () => Promise<void>, refuse = false) {
  return executeWithLedgerNumber(handler, meta(), { ledger: 'lead', itemId, primaryStreamId: `item-${itemId}`, ...extra }, async (no) => {
    await beforeSteps?.();
    return [{ decider: item, streamId: `item-${itemId}`, expectedVersion: 0, command: { no, refuse } }];
  });
}

const openedNo = (r: { events: { type: string; data: unknown }[] }) => (r.events.find((e) => e.type === 'item.opened')?.data as { no: string }).no;

describe('executeWithLedgerNumber (台账编号)', () => {
  let store: EventStore;
  let handler: CommandHandler;

  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
    handler = new CommandHandler(store, { schemaVersionOf });
  });
  afterEach(async () => {
    await store.close();
  });

  it("given an empty register, when an item is created, then the year's ledger assigns the first number before the item is opened with it, in one command", async () => {
    const r = await open(handler, 'a');
    expect(r.events.map((e) => [e.streamId, e.type])).toEqual([
      [streams.ledger('lead', 2026), 'ledger.number-assigned'],
      ['item-a', 'item.opened'],
    ]);
    expect(r.events[0]?.data).toMatchObject({ ledger: 'lead', year: 2026, seq: 1, number: 'LC-2026-0001', itemId: 'a' });
    expect(openedNo(r)).toBe('LC-2026-0001');
    // the result reports the item's stream (the HTTP ETag), not the ledger's
    expect(r.version).toBe(1);
  });

  it('given concurrent creations in one process, when they run, then each gets its own number in sequence, none shared or skipped', async () => {
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => open(handler, id)));
    expect(results.map(openedNo)).toEqual(['LC-2026-0001', 'LC-2026-0002', 'LC-2026-0003', 'LC-2026-0004']);
    expect(await store.streamVersion(streams.ledger('lead', 2026))).toBe(4);
  });

  it('given another process draws a number between the read and the append, when the append conflicts, then the plan re-runs and takes the next number', async () => {
    const otherProcess = new CommandHandler(store, { schemaVersionOf });
    let intruded = false;
    const r = await open(handler, 'mine', {}, async () => {
      if (intruded) return;
      intruded = true;
      await open(otherProcess, 'theirs');
    });
    expect(openedNo(r)).toBe('LC-2026-0002');
    const ledger = await store.readStream(streams.ledger('lead', 2026));
    expect(ledger.map((e) => (e.data as { itemId: string }).itemId)).toEqual(['theirs', 'mine']);
  });

  it('given If-Match, when another process draws a number in between, then the conflict reaches the caller unretried and nothing of the command is written', async () => {
    const otherProcess = new CommandHandler(store, { schemaVersionOf });
    const attempt = open(handler, 'mine', { ifMatch: 0 }, async () => {
      await open(otherProcess, 'theirs');
    });
    await expect(attempt).rejects.toBeInstanceOf(WrongExpectedVersionError);
    expect(await store.streamVersion('item-mine')).toBe(0);
    expect(await store.streamVersion(streams.ledger('lead', 2026))).toBe(1);
  });

  it("given the item's decider refuses, when the command runs, then its DomainError propagates unchanged and no number is drawn", async () => {
    await expect(open(handler, 'a', {}, undefined, true)).rejects.toMatchObject({ name: 'DomainError', code: 'item-refused', kind: 'invalid', field: 'title' });
    expect(await store.streamVersion(streams.ledger('lead', 2026))).toBe(0);
    // the number is still free for the next item
    expect(openedNo(await open(handler, 'b'))).toBe('LC-2026-0001');
  });

  it('given a ledgerStreamOf, when items are created, then each is numbered in the register it names and the default register stays empty', async () => {
    const county = (c: number) => (kind: LedgerKind, year: number) => `${streams.ledger(kind, year)}-c${c}`;
    const r1 = await open(handler, 'a', { ledgerStreamOf: county(1) });
    const r2 = await open(handler, 'b', { ledgerStreamOf: county(2) });
    expect([openedNo(r1), openedNo(r2)]).toEqual(['LC-2026-0001', 'LC-2026-0001']);
    expect(r1.events[0]?.streamId).toBe('ledger-lead-2026-c1');
    expect(r2.events[0]?.streamId).toBe('ledger-lead-2026-c2');
    expect(await store.streamVersion(streams.ledger('lead', 2026))).toBe(0);
  });
});
