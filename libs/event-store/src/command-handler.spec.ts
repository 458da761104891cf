import { randomBytes } from 'node:crypto';
import { DomainError, refuse, type CommandContext, type Decider, type DomainEvent } from '@coord/domain';
import { CommandHandler, step, type CommandMeta } from './command-handler';
import { deterministicEventId } from './deterministic-event-id';
import type { AppendResult, NewEvent, StoredEvent, StreamAppend } from './event-envelope';
import { IdempotencyKeyReusedError, WrongExpectedVersionError } from './event-store.errors';
import type { EventStore } from './event-store.port';
import { ConfidentialVault } from './encryption/confidential-vault';
import { SqliteDataKeyStore } from './encryption/data-key-store';
import { EncryptingEventStore } from './encryption/encrypting-event-store';
import { MasterKeyring } from './encryption/master-keyring';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { createUpcaster } from './upcasting';

// ---- a tiny decider, defined here so this spec does not depend on the real ones being written ----
type CounterCommand = { type: 'open'; name: string; secret?: string } | { type: 'add'; amount: number } | { type: 'touch' };
type CounterState = { status: 'none' } | { status: 'open'; name: string; total: number };
type CounterEvent =
  | DomainEvent<'counter.opened', { name: string }>
  | DomainEvent<'counter.added', { amount: number }>;

let decideCalls = 0;
const counter: Decider<CounterCommand, CounterState, CounterEvent> = {
  initialState: { status: 'none' },
  decide(c, s) {
    decideCalls++;
    switch (c.type) {
      case 'open':
        if (s.status !== 'none') return refuse('counter-exists', '计数器已存在');
        return [{ type: 'counter.opened', data: { name: c.name }, ...(c.secret ? { confidential: { secret: c.secret } } : {}) }];
      case 'add':
        if (s.status !== 'open') return refuse('counter-not-found', '计数器不存在', 'not-found');
        if (c.amount <= 0) return refuse('amount-not-positive', '金额必须为正', 'invalid', 'amount');
        return [{ type: 'counter.added', data: { amount: c.amount } }];
      case 'touch':
        return [];
    }
  },
  evolve(s, e) {
    switch (e.type) {
      case 'counter.opened':
        return { status: 'open', name: e.data.name, total: 0 };
      case 'counter.added':
        return s.status === 'open' ? { ...s, total: s.total + e.data.amount } : s;
    }
  },
};

// a per-year ledger handing out gapless numbers, for the multi-stream case
type LedgerEvent = DomainEvent<'ledger.number-assigned', { seq: number; itemId: string }>;
const ledger: Decider<{ itemId: string }, { next: number }, LedgerEvent> = {
  initialState: { next: 1 },
  decide: (c, s) => [{ type: 'ledger.number-assigned', data: { seq: s.next, itemId: c.itemId } }],
  evolve: (s, e) => ({ next: e.data.seq + 1 }),
};

const ctx: CommandContext = {
  actor: { userId: 'u-1', username: 'wang', role: 'agency', agency: 'audit-bureau' },
  at: '2026-03-02T01:00:00.000Z',
  today: '2026-03-02',
};
let seq = 0;
const meta = (over: Partial<CommandMeta> = {}): CommandMeta => ({ commandId: `cmd-${++seq}`, ctx, idempotencyKeyGiven: false, ...over });

/** Delegates to a real store; `race` runs once right before the next append (a concurrent writer). */
class RacingStore implements EventStore {
  race?: () => Promise<void>;
  appendCalls = 0;
  constructor(readonly inner: EventStore) {}
  async append(streamId: string, events: NewEvent[], expectedVersion: number | 'any'): Promise<AppendResult> {
    return (await this.appendMulti([{ streamId, events, expectedVersion }]))[0] as AppendResult;
  }
  async appendMulti(appends: StreamAppend[]): Promise<AppendResult[]> {
    this.appendCalls++;
    const race = this.race;
    this.race = undefined;
    if (race) await race();
    return this.inner.appendMulti(appends);
  }
  readStream = (s: string, o?: { fromVersion?: number; toVersion?: number }) => this.inner.readStream(s, o);
  streamVersion = (s: string) => this.inner.streamVersion(s);
  readAll = (a: number, l: number) => this.inner.readAll(a, l);
  headPosition = () => this.inner.headPosition();
  onAppended = (l: (p: number) => void) => this.inner.onAppended(l);
  close = () => this.inner.close();
}

describe('CommandHandler', () => {
  let sqlite: SqliteEventStore;
  let store: RacingStore;
  let handler: CommandHandler;
  const schemaVersionOf = (t: string) => (t === 'counter.added' ? 2 : 1);

  beforeEach(() => {
    sqlite = SqliteEventStore.open(':memory:');
    store = new RacingStore(sqlite);
    handler = new CommandHandler(store, { schemaVersionOf });
    decideCalls = 0;
  });
  afterEach(() => sqlite.close());

  /** a concurrent writer adding to the counter behind the handler's back */
  const sneakAdd = (streamId: string) => async () => {
    await handler.handle(counter, streamId, { type: 'add', amount: 100 }, meta());
  };

  it('given a new stream, when opened, then it appends with version 1 and the full envelope', async () => {
    const m = meta({ correlationId: 'req-9' });
    const r = await handler.handle(counter, 'counter-1', { type: 'open', name: 'a', secret: '举报人' }, m);
    expect(r).toMatchObject({ version: 1, replayed: false, streams: [{ streamId: 'counter-1', version: 1 }] });
    expect(r.position).toBe(await sqlite.headPosition());
    const [stored] = await sqlite.readStream('counter-1');
    expect(r.events).toEqual([stored]);
    expect(stored).toMatchObject({
      eventId: deterministicEventId(m.commandId, 'counter-1', 0),
      type: 'counter.opened',
      schemaVersion: 1,
      data: { name: 'a' },
      confidential: { secret: '举报人' },
      metadata: { occurredAt: ctx.at, actor: ctx.actor, correlationId: 'req-9', causationId: m.commandId },
    });
  });

  it('given an open stream, when a command follows, then it folds the state and appends with the expected version', async () => {
    await handler.handle(counter, 'counter-1', { type: 'open', name: 'a' }, meta());
    await handler.handle(counter, 'counter-1', { type: 'add', amount: 5 }, meta());
    const r = await handler.handle(counter, 'counter-1', { type: 'add', amount: 7 }, meta());
    expect(r.version).toBe(3);
    expect(r.events[0]).toMatchObject({ streamVersion: 3, schemaVersion: 2 });
    const loaded = await handler.load(counter, 'counter-1');
    expect(loaded.state).toEqual({ status: 'open', name: 'a', total: 12 });
    expect(loaded.version).toBe(3);
  });

  it('lets DomainErrors through unchanged and writes nothing', async () => {
    const err = await handler.handle(counter, 'counter-1', { type: 'add', amount: 1 }, meta()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'counter-not-found', kind: 'not-found' });
    expect(await sqlite.headPosition()).toBe(0);
  });

  it('a decision of no events appends nothing and reports the current version and position', async () => {
    const opened = await handler.handle(counter, 'counter-1', { type: 'open', name: 'a' }, meta());
    const r = await handler.handle(counter, 'counter-1', { type: 'touch' }, meta());
    expect(r).toEqual({ events: [], streams: [{ streamId: 'counter-1', version: 1 }], version: 1, position: opened.position, replayed: false });
    expect(store.appendCalls).toBe(1);
  });

  describe('If-Match', () => {
    it('a stale ifMatch fails before deciding and writes nothing, even with retries allowed', async () => {
      await handler.handle(counter, 'counter-1', { type: 'open', name: 'a' }, meta());
      await handler.handle(counter, 'counter-1', { type: 'add', amount: 1 }, meta());
      decideCalls = 0;
      const err = await handler
        .handle(counter, 'counter-1', { type: 'add', amount: 1 }, meta(), { ifMatch: 1, retryOnConflict: 5 })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WrongExpectedVersionError);
      expect(err).toMatchObject({ expected: 1, actual: 2 });
      expect(decideCalls).toBe(0);
      expect(await sqlite.streamVersion('counter-1')).toBe(2);
    });

    it('a current ifMatch succeeds; a write racing in after the check still conflicts and is not retried', async () => {
      await handler.handle(counter, 'counter-1', { type: 'open', name: 'a' }, meta());
      expect((await handler.handle(counter, 'counter-1', { type: 'add', amount: 1 }, meta(), { ifMatch: 1 })).version).toBe(2);
      store.race = sneakAdd('counter-1');
      await expect(
        handler.handle(counter, 'counter-1', { type: 'add', amount: 1 }, meta(), { ifMatch: 2, retryOnConflict: 3 }),
      ).rejects.toBeInstanceOf(WrongExpectedVersionError);
      expect(await sqlite.streamVersion('counter-1')).toBe(3); // only the racing write
    });
  });

  describe('conflicts', () => {
    it('without retries, a concurrent write makes the command fail with WrongExpectedVersionError', async () => {
      await handler.handle(counter, 'counter-1', { type: 'open', name: 'a' }, meta());
      store.race = sneakAdd('counter-1');
      await expect(handler.handle(counter, 'counter-1', { type: 'add', amount: 1 }, meta())).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
      expect(await sqlite.streamVersion('counter-1')).toBe(2);
    });

    it('with retryOnConflict, it re-reads, re-decides on the new state and appends after the concurrent write', async () => {
      await handler.handle(counter, 'counter-1', { type: 'open', name: 'a' }, meta());
      store.race = sneakAdd('counter-1');
      decideCalls = 0;
      const r = await handler.handle(counter, 'counter-1', { type: 'add', amount: 1 }, meta(), { retryOnConflict: 1 });
      expect(r.version).toBe(3);
      expect(decideCalls).toBe(3); // first try, the racing command, the retry
      expect((await handler.load(counter, 'counter-1')).state).toMatchObject({ total: 101 });
    });
  });

  describe('idempotency', () => {
    it('a repeated command with an idempotency key returns the first result and writes nothing', async () => {
      await handler.handle(counter, 'counter-1', { type: 'open', name: 'a' }, meta());
      const m = meta({ commandId: 'key-abc', idempotencyKeyGiven: true });
      const first = await handler.handle(counter, 'counter-1', { type: 'add', amount: 5 }, m);
      await handler.handle(counter, 'counter-1', { type: 'add', amount: 1 }, meta()); // the stream moves on
      const head = await sqlite.headPosition();
      const calls = store.appendCalls;
      // same key, even with the client's stale If-Match of its first try
      const again = await handler.handle(counter, 'counter-1', { type: 'add', amount: 5 }, m, { ifMatch: 1 });
      expect(again).toEqual({ ...first, replayed: true });
      expect(again.version).toBe(2);
      expect(store.appendCalls).toBe(calls);
      expect(await sqlite.headPosition()).toBe(head);
    });

    it('event ids are deterministic: the same command id yields the same ids on any store', async () => {
      const other = SqliteEventStore.open(':memory:');
      const h2 = new CommandHandler(other, { schemaVersionOf });
      const m = meta();
      const a = await handler.handle(counter, 'counter-1', { type: 'open', name: 'a' }, m);
      const b = await h2.handle(counter, 'counter-1', { type: 'open', name: 'a' }, m);
      const c = await h2.handle(counter, 'counter-2', { type: 'open', name: 'a' }, m);
      await other.close();
      expect(a.events[0]?.eventId).toBe(b.events[0]?.eventId);
      expect(c.events[0]?.eventId).not.toBe(a.events[0]?.eventId);
      expect(a.events[0]?.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(deterministicEventId('x', 's', 0)).not.toBe(deterministicEventId('x', 's', 1));
    });
  });

  describe('multi-stream commands (execute)', () => {
    const registerPlan = (itemId: string) => async (load: Parameters<Parameters<CommandHandler['execute']>[1]>[0]) => {
      const l = await load(ledger, 'ledger-lead-2026');
      return [
        step(ledger, 'ledger-lead-2026', { itemId }),
        step(counter, `counter-${itemId}`, { type: 'open', name: `LC-2026-${String(l.state.next).padStart(4, '0')}` }),
      ];
    };

    it('appends every stream atomically and reports the primary stream', async () => {
      const r = await handler.execute(meta(), registerPlan('x'), { primaryStreamId: 'counter-x' });
      expect(r.version).toBe(1);
      expect(r.streams).toEqual([
        { streamId: 'ledger-lead-2026', version: 1 },
        { streamId: 'counter-x', version: 1 },
      ]);
      expect(r.events.map((e) => e.type)).toEqual(['ledger.number-assigned', 'counter.opened']);
      expect(r.position).toBe(await sqlite.headPosition());
      expect((await handler.load(counter, 'counter-x')).state).toMatchObject({ name: 'LC-2026-0001' });
    });

    it('a conflict on one stream writes nothing on any; with retries the plan re-runs and renumbers', async () => {
      const other = () => handler.execute(meta(), registerPlan('other'), { primaryStreamId: 'counter-other' }).then(() => undefined);
      store.race = other;
      await expect(handler.execute(meta(), registerPlan('x'), { primaryStreamId: 'counter-x' })).rejects.toBeInstanceOf(
        WrongExpectedVersionError,
      );
      expect(await sqlite.streamVersion('counter-x')).toBe(0);
      expect(await sqlite.streamVersion('ledger-lead-2026')).toBe(1);

      store.race = async () => {
        await handler.execute(meta(), registerPlan('third'), { primaryStreamId: 'counter-third' });
      };
      const r = await handler.execute(meta(), registerPlan('x'), { primaryStreamId: 'counter-x', retryOnConflict: 2 });
      expect(r.streams).toContainEqual({ streamId: 'ledger-lead-2026', version: 3 });
      expect((await handler.load(counter, 'counter-x')).state).toMatchObject({ name: 'LC-2026-0003' });
    });

    it('a multi-stream repeat with an idempotency key replays from the primary stream', async () => {
      const m = meta({ commandId: 'key-reg', idempotencyKeyGiven: true });
      const first = await handler.execute(m, registerPlan('x'), { primaryStreamId: 'counter-x' });
      const again = await handler.execute(m, registerPlan('x'), { primaryStreamId: 'counter-x' });
      expect(again.replayed).toBe(true);
      expect(again.version).toBe(first.version);
      expect(again.events.map((e) => e.eventId)).toEqual(first.events.filter((e) => e.streamId === 'counter-x').map((e) => e.eventId));
      expect(await sqlite.streamVersion('ledger-lead-2026')).toBe(1);
    });

    it('a replay reports the same position as the first answer, even when the plan lists the primary stream first', async () => {
      const primaryFirst = (itemId: string) => async (load: Parameters<Parameters<CommandHandler['execute']>[1]>[0]) => {
        const l = await load(ledger, 'ledger-lead-2026');
        return [
          step(counter, `counter-${itemId}`, { type: 'open', name: `LC-2026-${String(l.state.next).padStart(4, '0')}` }),
          step(ledger, 'ledger-lead-2026', { itemId }),
        ];
      };
      const m = meta({ commandId: 'key-order', idempotencyKeyGiven: true });
      const first = await handler.execute(m, primaryFirst('y'), { primaryStreamId: 'counter-y' });
      expect(first.position).toBe(await sqlite.headPosition());
      const again = await handler.execute(m, primaryFirst('y'), { primaryStreamId: 'counter-y' });
      expect(again.replayed).toBe(true);
      expect(again.position).toBe(first.position);
      expect(again.version).toBe(first.version);
    });
  });

  describe('the fold of a serializeOn (hot) stream is kept between commands', () => {
    const LEDGER = 'ledger-lead-2026';
    const register = (h: CommandHandler, itemId: string, retryOnConflict = 0) =>
      h.execute(
        meta(),
        async (load) => {
          const l = await load(ledger, LEDGER);
          return [step(ledger, LEDGER, { itemId }), step(counter, `counter-${itemId}`, { type: 'open', name: `LC-2026-${String(l.state.next).padStart(4, '0')}` })];
        },
        { primaryStreamId: `counter-${itemId}`, serializeOn: LEDGER, retryOnConflict },
      );
    const nameOf = async (itemId: string) => ((await handler.load(counter, `counter-${itemId}`)).state as { name?: string }).name;
    let reads: { streamId: string; fromVersion?: number }[];
    beforeEach(() => {
      reads = [];
      store.readStream = (s, o) => {
        reads.push({ streamId: s, fromVersion: o?.fromVersion });
        return store.inner.readStream(s, o);
      };
    });
    const ledgerReads = () => reads.filter((r) => r.streamId === LEDGER).map((r) => r.fromVersion);

    it('each command reads the stream only from the last event it folded, and the numbers stay gapless', async () => {
      for (const id of ['a', 'b', 'c', 'd']) await register(handler, id);
      // the first finds the stream empty (nothing to keep), the second folds it whole, then only tails
      expect(ledgerReads()).toEqual([undefined, undefined, 1, 2]);
      expect(await Promise.all(['a', 'b', 'c', 'd'].map(nameOf))).toEqual(['LC-2026-0001', 'LC-2026-0002', 'LC-2026-0003', 'LC-2026-0004']);
    });

    it('what another process appended is part of the tail; a racing append is seen on the retry', async () => {
      const elsewhere = new CommandHandler(store, { schemaVersionOf });
      await register(handler, 'a');
      await register(elsewhere, 'b');
      await register(elsewhere, 'c');
      await register(handler, 'd');
      store.race = () => register(elsewhere, 'e').then(() => undefined);
      await register(handler, 'f', 2);
      expect(await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map(nameOf))).toEqual(['LC-2026-0001', 'LC-2026-0002', 'LC-2026-0003', 'LC-2026-0004', 'LC-2026-0005', 'LC-2026-0006']);
    });

    it('a log replaced under the running handler (its last folded event gone) is folded from the start', async () => {
      await register(handler, 'a');
      await register(handler, 'b');
      const replacement = SqliteEventStore.open(':memory:');
      try {
        await register(new CommandHandler(replacement, { schemaVersionOf }), 'other');
        (store as unknown as { inner: EventStore }).inner = replacement;
        reads = [];
        await register(handler, 'c');
        expect(ledgerReads()).toEqual([1, undefined]);
        expect(await nameOf('c')).toBe('LC-2026-0002');
      } finally {
        (store as unknown as { inner: EventStore }).inner = sqlite;
        await replacement.close();
      }
    });

    it('a stream with confidential parts is never kept: it is read whole every time', async () => {
      await handler.handle(counter, 'counter-s', { type: 'open', name: 's', secret: '举报人' }, meta());
      const add = () =>
        handler.execute(
          meta(),
          async (load) => {
            await load(counter, 'counter-s');
            return [step(counter, 'counter-s', { type: 'add', amount: 1 })];
          },
          { primaryStreamId: 'counter-s', serializeOn: 'counter-s' },
        );
      await add();
      await add();
      expect(reads.filter((r) => r.streamId === 'counter-s').map((r) => r.fromVersion)).toEqual([undefined, undefined, undefined]);
      expect((await handler.load(counter, 'counter-s')).state).toMatchObject({ total: 2 });
    });
  });

  describe('an idempotency key reused for a different request', () => {
    it('is refused with IdempotencyKeyReusedError and writes nothing', async () => {
      await handler.handle(counter, 'counter-k', { type: 'open', name: 'k' }, meta({ commandId: 'key-k', idempotencyKeyGiven: true, commandHash: 'hash-a' }));
      const head = await sqlite.headPosition();
      await expect(
        handler.handle(counter, 'counter-k', { type: 'open', name: 'other' }, meta({ commandId: 'key-k', idempotencyKeyGiven: true, commandHash: 'hash-b' })),
      ).rejects.toBeInstanceOf(IdempotencyKeyReusedError);
      expect(await sqlite.headPosition()).toBe(head);
      const same = await handler.handle(counter, 'counter-k', { type: 'open', name: 'k' }, meta({ commandId: 'key-k', idempotencyKeyGiven: true, commandHash: 'hash-a' }));
      expect(same.replayed).toBe(true);
    });
  });

  describe('confidential parts', () => {
    it('given a stream with a sealed part, when commands and a replay run on it, then its data key is only touched to seal, never to fold', async () => {
      const keys = SqliteDataKeyStore.open(':memory:');
      const encrypting = new EncryptingEventStore(sqlite, new ConfidentialVault(MasterKeyring.fromKeys(randomBytes(32)), keys));
      const h = new CommandHandler(encrypting, { schemaVersionOf });
      await h.handle(counter, 'counter-c', { type: 'open', name: 'c', secret: '举报人' }, meta());
      const find = jest.spyOn(keys, 'find');
      const keyed = meta({ commandId: 'key-c', idempotencyKeyGiven: true, commandHash: 'h' });
      await h.handle(counter, 'counter-c', { type: 'add', amount: 3 }, keyed);
      const again = await h.handle(counter, 'counter-c', { type: 'add', amount: 3 }, keyed);
      expect(again.replayed).toBe(true);
      expect((await h.load(counter, 'counter-c')).state).toMatchObject({ status: 'open', name: 'c', total: 3 });
      expect(find).not.toHaveBeenCalled();
      // the part is still there for a reader that opens it
      expect((await encrypting.readStream('counter-c'))[0]?.confidential).toEqual({ secret: '举报人' });
      await keys.close();
    });
  });

  it('upcasts stored events before folding them', async () => {
    // a v1 'counter.added' stored {value} instead of {amount}
    await sqlite.append('counter-old', [{ ...newEvent('counter.opened', { name: 'old' }, 1) }], 0);
    await sqlite.append('counter-old', [newEvent('counter.added', { value: 40 }, 1)], 1);
    const upcaster = createUpcaster({ 'counter.added': { 1: (d) => ({ amount: (d as { value: number }).value }) } });
    const h = new CommandHandler(sqlite, { schemaVersionOf, upcaster });
    const loaded = await h.load(counter, 'counter-old');
    expect(loaded.state).toMatchObject({ total: 40 });
    expect((loaded.events[1] as StoredEvent).schemaVersion).toBe(2);
    await h.handle(counter, 'counter-old', { type: 'add', amount: 2 }, meta());
    expect((await h.load(counter, 'counter-old')).state).toMatchObject({ total: 42 });
  });
});

function newEvent(type: string, data: unknown, schemaVersion: number): NewEvent {
  return {
    eventId: `${type}-${++seq}`,
    type,
    schemaVersion,
    data,
    metadata: { occurredAt: ctx.at, actor: { userId: 'u', username: 'u', role: 'office' }, correlationId: 'c', causationId: 'c' },
  };
}
