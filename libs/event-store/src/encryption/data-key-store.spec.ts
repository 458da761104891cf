import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfidentialVault } from './confidential-vault';
import { SqliteDataKeyStore, type WrappedDataKey } from './data-key-store';
import { MasterKeyring } from './master-keyring';

const key = (streamId: string, byte: number): WrappedDataKey => ({ streamId, masterKeyId: 'mk-1', wrapped: Buffer.alloc(40, byte) });

describe('SqliteDataKeyStore: concurrent inserts grouped into one transaction', () => {
  let dir: string;
  let file: string;
  let store: SqliteDataKeyStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'data-keys-'));
    file = join(dir, 'keys.sqlite');
    store = SqliteDataKeyStore.open(file);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given inserts made in the same tick, when they are committed, then each caller gets its own stream’s key and all are stored', async () => {
    const transactions = jest.spyOn((store as unknown as { db: Database.Database }).db, 'transaction');

    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.insertIfAbsent(key(`lead-${i}`, i))));

    expect(transactions).toHaveBeenCalledTimes(1);

    results.forEach((r, i) => expect(r).toEqual({ state: 'present', streamId: `lead-${i}`, masterKeyId: 'mk-1', wrapped: Buffer.alloc(40, i) }));
    // a second connection (another process) sees every key: the group was committed
    const other = new Database(file, { readonly: true });
    try {
      expect(other.prepare('SELECT count(*) AS n FROM data_keys').get()).toEqual({ n: 50 });
    } finally {
      other.close();
    }
  });

  it('given two inserts for the same stream in one group, then both callers get the first one (the winner), as before grouping', async () => {
    const [a, b] = await Promise.all([store.insertIfAbsent(key('lead-x', 1)), store.insertIfAbsent(key('lead-x', 2))]);

    expect(a).toEqual({ state: 'present', streamId: 'lead-x', masterKeyId: 'mk-1', wrapped: Buffer.alloc(40, 1) });
    expect(b).toEqual(a);
  });

  it('given an erased stream, when a key is inserted for it in a group with others, then it stays erased and the others are stored', async () => {
    await store.insertIfAbsent(key('lead-gone', 9));
    await store.destroy('lead-gone');

    const [gone, fresh] = await Promise.all([store.insertIfAbsent(key('lead-gone', 3)), store.insertIfAbsent(key('lead-new', 4))]);

    expect(gone).toEqual({ state: 'erased' });
    expect(fresh.state).toBe('present');
  });

  it('given the commit fails, then every caller of the group is rejected and none of their keys is stored', async () => {
    const other = new Database(file);
    // another connection holds the write lock; the store's busy timeout is shortened so the group fails fast
    other.exec('BEGIN EXCLUSIVE');
    (store as unknown as { db: Database.Database }).db.pragma('busy_timeout = 0');
    try {
      const results = await Promise.allSettled([store.insertIfAbsent(key('lead-a', 1)), store.insertIfAbsent(key('lead-b', 2))]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await store.find('lead-a')).toEqual({ state: 'none' });
    expect(await store.find('lead-b')).toEqual({ state: 'none' });
  });
});

describe('ConfidentialVault.provision', () => {
  const ring = MasterKeyring.fromKeys(Buffer.alloc(32, 7));
  let store: SqliteDataKeyStore;
  let vault: ConfidentialVault;

  beforeEach(() => {
    store = SqliteDataKeyStore.open(':memory:');
    vault = new ConfidentialVault(ring, store);
  });

  afterEach(() => vault.close());

  it('given streams without keys, when provisioned, then seal uses the provisioned key (an existing key is never replaced)', async () => {
    await vault.provision(['lead-1', 'lead-2', 'lead-1']);
    const provisioned = await store.find('lead-1');

    const sealed = await vault.seal('lead-1', 'e-1', { informant: { name: '李举报' } });

    expect(provisioned.state).toBe('present');
    expect(await store.find('lead-1')).toEqual(provisioned);
    expect((await store.find('lead-2')).state).toBe('present');
    expect(await vault.open('lead-1', 'e-1', sealed as unknown as Record<string, unknown>)).toEqual({ state: 'plain', value: { informant: { name: '李举报' } } });
  });

  it('given an erased stream, when provisioned, then it stays erased and sealing for it is still refused', async () => {
    await vault.provision(['lead-gone']);
    await vault.erase('lead-gone');

    await vault.provision(['lead-gone']);

    expect(await vault.isErased('lead-gone')).toBe(true);
    await expect(vault.seal('lead-gone', 'e-1', { informant: { name: 'x' } })).rejects.toThrow('erased');
  });
});
