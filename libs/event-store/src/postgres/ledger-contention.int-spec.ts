import { Pool } from 'pg';
import { EVENT_SCHEMA_VERSIONS, formatLedgerNumber, ledgerDecider, ledgerNumberOf, type CommandContext, type CoordinationEventType, type Decider, type DomainEvent } from '@coord/domain';
import { CommandHandler, step, type CommandMeta } from '../command-handler';
import { PostgresEventStore } from './postgres-event-store';

/**
 * The per-year ledger is the hottest stream there is: every registration appends to it. Under
 * PostgreSQL with group commit, concurrent registrations must all succeed with gapless, unique numbers —
 * queued within one process (serializeOn), retried with backoff across processes.
 */
const url = process.env.COORD_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `coord_ledger_t${process.pid}_${Date.now().toString(36)}`;
const admin = new Pool({ connectionString: url, max: 1 });

type Opened = DomainEvent<'item.opened', { no: string }>;
const item: Decider<{ no: string }, { opened: boolean }, Opened> = {
  initialState: { opened: false },
  decide: (c, s) => (s.opened ? [] : [{ type: 'item.opened', data: { no: c.no } }]),
  evolve: () => ({ opened: true }),
};

const ctx: CommandContext = { actor: { userId: 'u', username: 'clerk', role: 'office' }, at: '2026-11-27T02:00:00.000Z', today: '2026-11-27' };
const schemaVersionOf = (t: string) => EVENT_SCHEMA_VERSIONS[t as CoordinationEventType] ?? 1;
const LEDGER = 'ledger-lead-2026';

function register(handler: CommandHandler, itemId: string): Promise<string> {
  const meta: CommandMeta = { commandId: `register-${itemId}`, ctx, idempotencyKeyGiven: false };
  return handler
    .execute(
      meta,
      async (load) => {
        const ledger = await load(ledgerDecider, LEDGER);
        const no = ledgerNumberOf(ledger.state, itemId) ?? formatLedgerNumber('lead', 2026, ledger.state.lastSeq + 1);
        return [step(ledgerDecider, LEDGER, { type: 'AssignLedgerNumber', ledger: 'lead', year: 2026, itemId, ctx }), step(item, `item-${itemId}`, { no }, 0)];
      },
      { primaryStreamId: `item-${itemId}`, retryOnConflict: 50, serializeOn: LEDGER },
    )
    .then((r) => (r.events.find((e) => e.type === 'item.opened')?.data as { no: string }).no);
}

let stores: PostgresEventStore[] = [];
afterAll(async () => {
  for (const s of stores) await s.close();
  await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
});

it('80 concurrent registrations through two processes’ handlers all succeed with the numbers 1..80, each once', async () => {
  stores = [await PostgresEventStore.connect({ connectionString: url, schema, poolSize: 8 }), await PostgresEventStore.connect({ connectionString: url, schema, poolSize: 8 })];
  const handlers = stores.map((s) => new CommandHandler(s, { schemaVersionOf }));
  const numbers = await Promise.all(Array.from({ length: 80 }, (_, i) => register(handlers[i % 2] as CommandHandler, `i${i}`)));
  expect([...numbers].sort()).toEqual(Array.from({ length: 80 }, (_, i) => formatLedgerNumber('lead', 2026, i + 1)));
  expect(await stores[0]!.streamVersion(LEDGER)).toBe(80);
}, 60_000);
