import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract, ev } from '../testing';
import { SqliteEventStore } from './sqlite-event-store';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'coord-es-'));
  dirs.push(dir);
  return join(dir, 'events.sqlite');
}

describeEventStoreContract('SqliteEventStore (file, WAL)', async () => {
  const file = tempFile();
  const store = SqliteEventStore.open(file);
  return {
    store,
    reopen: async () => SqliteEventStore.open(file),
    cleanup: async () => store.close(),
  };
});

describeEventStoreContract('SqliteEventStore (:memory:)', async () => {
  const store = SqliteEventStore.open(':memory:');
  return { store, cleanup: async () => store.close() };
});

describe('SqliteEventStore specifics', () => {
  it('runs WAL with synchronous=FULL and records its schema version', async () => {
    const file = tempFile();
    const store = SqliteEventStore.open(file);
    await store.close();
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(2);
      const cols = db.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('events')").all().map((c) => c.name);
      expect(cols).toEqual(expect.arrayContaining(['hash', 'confidential', 'recorded_at', 'occurred_at']));
    } finally {
      db.close();
    }
    // synchronous is per connection: check it on a live store
    const live = SqliteEventStore.open(file);
    const synchronous = (live as unknown as { db: { pragma(s: string, o: { simple: true }): unknown } }).db.pragma('synchronous', { simple: true });
    expect(synchronous).toBe(2); // FULL
    await live.close();
  });

  it('opening an existing file again is idempotent and keeps the data', async () => {
    const file = tempFile();
    const a = SqliteEventStore.open(file);
    await a.append('s-1', [ev('a.happened')], 0);
    await a.close();
    const b = SqliteEventStore.open(file);
    const c = SqliteEventStore.open(file); // two handles, as api + rebuild would
    expect(await c.streamVersion('s-1')).toBe(1);
    await b.append('s-1', [ev('b.happened')], 1);
    // the other handle sees the commit: it is a real, shared, durable write
    expect(await c.readStream('s-1')).toHaveLength(2);
    await expect(c.append('s-1', [ev('c.happened')], 1)).rejects.toThrow(/wrong expected version/);
    await b.close();
    await c.close();
  });

  it('a listener on one handle sees the committed event from a second connection', async () => {
    const file = tempFile();
    const writer = SqliteEventStore.open(file);
    const reader = SqliteEventStore.open(file);
    const seen: Promise<number>[] = [];
    writer.onAppended((p) => seen.push(reader.readAll(p - 1, 10).then((es) => es.length)));
    await writer.append('s-1', [ev('a.happened')], 0);
    expect(await Promise.all(seen)).toEqual([1]);
    await writer.close();
    await reader.close();
  });
});
