import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../event-envelope';
import { SqliteEventStore } from '../sqlite/sqlite-event-store';
import { ConfidentialVault, DataKeyErasedError, rotateDataKeyWrapping } from './confidential-vault';
import { SqliteDataKeyStore } from './data-key-store';
import { EncryptingEventStore } from './encrypting-event-store';
import { MasterKeyError, MasterKeyring, masterKeyId, readMasterKeyFile, writeMasterKeyFile } from './master-keyring';

const event = (type: string, confidential?: Record<string, unknown>): NewEvent => ({
  eventId: randomUUID(),
  type,
  schemaVersion: 1,
  data: { n: 1 },
  ...(confidential ? { confidential } : {}),
  metadata: { occurredAt: new Date().toISOString(), actor: { userId: 'u', username: 'u', role: 'office' }, correlationId: 'c', causationId: 'c' },
});

describe('envelope encryption of confidential parts (EncryptingEventStore)', () => {
  let dir: string;
  let inner: SqliteEventStore;
  let keys: SqliteDataKeyStore;
  let store: EncryptingEventStore;
  const master = randomBytes(32);
  const SECRET = { informant: { name: '举报人赵某', contact: '13812345678' } };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'coord-enc-'));
    inner = SqliteEventStore.open(join(dir, 'events.sqlite'));
    keys = SqliteDataKeyStore.open(join(dir, 'keys.sqlite'));
    store = new EncryptingEventStore(inner, new ConfidentialVault(MasterKeyring.fromKeys(master), keys));
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given an event with a confidential part, when appended, then the adapter stores only ciphertext and readStream opens it', async () => {
    await store.append('lead-1', [event('lead.registered', SECRET), event('lead.transferred')], 0);
    const [raw] = await inner.readStream('lead-1');
    expect(raw.confidential).toEqual({ sealed: 'aes-256-gcm/v1', iv: expect.any(String), ct: expect.any(String), tag: expect.any(String) });
    expect(JSON.stringify(raw)).not.toContain('13812345678');
    const [opened, plain] = await store.readStream('lead-1');
    expect(opened.confidential).toEqual(SECRET);
    expect(plain.confidential ?? null).toBeNull();
    // log followers get the sealed value
    expect((await store.readAll(0, 10))[0].confidential).toEqual(raw.confidential);
  });

  it("given a sealed part, when read with confidential: 'omit', then it is left out and the data key is never looked up", async () => {
    await store.append('lead-1', [event('lead.registered', SECRET), event('lead.transferred')], 0);
    const find = jest.spyOn(keys, 'find');
    const read = await store.readStream('lead-1', { toVersion: 1, confidential: 'omit' });
    expect(read).toHaveLength(1);
    expect(read[0]).not.toHaveProperty('confidential');
    expect(read[0].data).toEqual({ n: 1 });
    expect(find).not.toHaveBeenCalled();
    // without the option the part is opened as before
    expect((await store.readStream('lead-1'))[0].confidential).toEqual(SECRET);
    expect(find).toHaveBeenCalled();
  });

  it('given a multi-stream append of new confidential streams, when appended, then their data keys are created in one key-store transaction and each opens', async () => {
    const transactions = jest.spyOn((keys as unknown as { db: { transaction: (...a: unknown[]) => unknown } }).db, 'transaction');
    const ids = ['lead-a', 'lead-b', 'lead-c', 'lead-d'];
    await store.appendMulti([...ids.map((streamId) => ({ streamId, events: [event('lead.registered', SECRET)], expectedVersion: 0 as const })), { streamId: 'case-x', events: [event('case.filed')], expectedVersion: 0 as const }]);
    expect(transactions).toHaveBeenCalledTimes(1);
    for (const id of ids) expect((await store.readStream(id))[0].confidential).toEqual(SECRET);
    expect((await keys.find('case-x')).state).toBe('none');
  });

  it('given two streams, then each has its own data key, and a sealed value moved to another event does not open', async () => {
    await store.appendMulti([
      { streamId: 'lead-a', events: [event('x', SECRET)], expectedVersion: 0 },
      { streamId: 'lead-b', events: [event('x', SECRET)], expectedVersion: 0 },
    ]);
    const a = await keys.find('lead-a');
    const b = await keys.find('lead-b');
    expect(a.state === 'present' && b.state === 'present' && !a.wrapped.equals(b.wrapped)).toBe(true);
    const [sealedA] = await inner.readStream('lead-a');
    await inner.append('lead-c', [{ ...event('x'), confidential: sealedA.confidential }], 0);
    await expect(store.readStream('lead-c')).resolves.toEqual([expect.not.objectContaining({ confidential: SECRET })]);
  });

  it('given the stream key is erased, then the part is gone from reads, the sealed bytes stay, and a new confidential write is refused', async () => {
    await store.append('lead-1', [event('lead.registered', SECRET)], 0);
    const before = await keys.find('lead-1');
    expect(await store.vault.erase('lead-1')).toBe(true);
    expect(await store.vault.erase('lead-1')).toBe(false);
    const [read] = await store.readStream('lead-1');
    expect(read).not.toHaveProperty('confidential');
    expect((await inner.readStream('lead-1'))[0].confidential).toEqual(expect.objectContaining({ sealed: 'aes-256-gcm/v1' }));
    await expect(store.append('lead-1', [event('x', SECRET)], 1)).rejects.toBeInstanceOf(DataKeyErasedError);
    await expect(keys.find('lead-1')).resolves.toEqual({ state: 'erased' });
    // physically gone from the key file (secure_delete + VACUUM)
    if (before.state !== 'present') throw new Error('key expected');
    expect(readFileSync(join(dir, 'keys.sqlite')).includes(before.wrapped)).toBe(false);
  });

  it('given plaintext written before encryption existed (legacy), then it is read as is', async () => {
    await inner.append('account-old', [event('account.created', { passwordHash: 'legacy-hash' })], 0);
    expect((await store.readStream('account-old'))[0].confidential).toEqual({ passwordHash: 'legacy-hash' });
  });

  it('rotation re-wraps every data key under the new master key without touching the events; the old key is then not needed', async () => {
    await store.append('lead-1', [event('x', SECRET)], 0);
    await store.append('account-a', [event('y', { passwordHash: 'h' })], 0);
    const eventsBefore = await inner.readAll(0, 10);
    const next = randomBytes(32);
    const rotating = new ConfidentialVault(MasterKeyring.fromKeys(next, [master]), keys);
    await expect(rotateDataKeyWrapping(rotating)).resolves.toEqual({ rewrapped: 2, alreadyCurrent: 0 });
    await expect(rotateDataKeyWrapping(rotating)).resolves.toEqual({ rewrapped: 0, alreadyCurrent: 2 });
    expect(await inner.readAll(0, 10)).toEqual(eventsBefore);
    const onlyNew = new EncryptingEventStore(inner, new ConfidentialVault(MasterKeyring.fromKeys(next), keys));
    expect((await onlyNew.readStream('lead-1'))[0].confidential).toEqual(SECRET);
    const found = await keys.find('lead-1');
    expect(found.state === 'present' && found.masterKeyId).toBe(masterKeyId(next));
    // and the old master key alone no longer opens anything
    await expect(store.readStream('lead-1')).rejects.toBeInstanceOf(MasterKeyError);
  });
});

describe('master key file', () => {
  it('is generated once with mode 0600, lists the current key first, and rejects a malformed key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coord-mk-'));
    try {
      const file = join(dir, 'master-key');
      const [first] = readMasterKeyFile(file, true);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readMasterKeyFile(file, true)[0].equals(first)).toBe(true);
      const fresh = randomBytes(32).toString('base64');
      writeMasterKeyFile(file, [fresh, first.toString('base64')]);
      const ring = MasterKeyring.fromSource({ kind: 'file', file, generateIfMissing: false });
      expect(ring.currentId).toBe(masterKeyId(Buffer.from(fresh, 'base64')));
      expect(ring.has(masterKeyId(first))).toBe(true);
      writeMasterKeyFile(file, ['too-short']);
      expect(() => readMasterKeyFile(file, false)).toThrow(MasterKeyError);
      expect(() => readMasterKeyFile(join(dir, 'missing'), false)).toThrow(MasterKeyError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
