import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataKeyStore } from './data-key-store';
import { MasterKeyring, type MasterKeySource } from './master-keyring';

/** The shape the `confidential` column holds once sealed: ciphertext only, never a readable value. */
export interface SealedConfidential {
  sealed: typeof SEALED_FORMAT;
  iv: string;
  ct: string;
  tag: string;
}

export const SEALED_FORMAT = 'aes-256-gcm/v1';

export const isSealed = (c: unknown): c is SealedConfidential =>
  typeof c === 'object' && c !== null && (c as { sealed?: unknown }).sealed === SEALED_FORMAT && typeof (c as { ct?: unknown }).ct === 'string';

/** A confidential write to a stream whose key was erased: refused rather than given a fresh key. */
export class DataKeyErasedError extends Error {
  constructor(readonly streamId: string) {
    super(`the data key of ${streamId} was erased; no confidential data can be written to it`);
    this.name = 'DataKeyErasedError';
  }
}

export type OpenResult = { state: 'plain'; value: Record<string, unknown> } | { state: 'erased' };

/**
 * Envelope encryption of events' confidential parts: one random AES-256 data key per stream (aggregate),
 * AES-256-GCM per value with the stream id and event id as associated data (a sealed value copied onto
 * another event does not open), the data key wrapped by the master key and kept in the DataKeyStore.
 *
 * No caching of unwrapped data keys: every open looks the key up, so an erasure takes effect at once in
 * every process sharing the key store (a cache would keep a shredded key alive in another replica). The
 * cost is one indexed lookup per confidential event read — a handful per command.
 */
export class ConfidentialVault {
  private ringLoaded?: MasterKeyring;
  private keysOpened?: Promise<DataKeyStore>;

  /**
   * Both the master key and the key store are opened on first use: a process that never touches a
   * confidential part (the projector, the relay) never reads the master key or opens the key store.
   */
  constructor(
    private readonly ringSource: MasterKeyring | (() => MasterKeyring),
    private readonly keysSource: DataKeyStore | (() => Promise<DataKeyStore>),
  ) {}

  static lazy(source: MasterKeySource, openKeys: () => Promise<DataKeyStore>): ConfidentialVault {
    return new ConfidentialVault(() => MasterKeyring.fromSource(source), openKeys);
  }

  get keyring(): MasterKeyring {
    this.ringLoaded ??= typeof this.ringSource === 'function' ? this.ringSource() : this.ringSource;
    return this.ringLoaded;
  }

  private get ring(): MasterKeyring {
    return this.keyring;
  }

  keyStore(): Promise<DataKeyStore> {
    this.keysOpened ??= typeof this.keysSource === 'function' ? this.keysSource() : Promise.resolve(this.keysSource);
    return this.keysOpened;
  }

  async seal(streamId: string, eventId: string, value: Record<string, unknown>): Promise<SealedConfidential> {
    const dataKey = await this.dataKeyFor(streamId);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
    cipher.setAAD(aad(streamId, eventId));
    const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    dataKey.fill(0);
    return { sealed: SEALED_FORMAT, iv: iv.toString('base64'), ct: ct.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
  }

  /**
   * Opens a stored confidential value. A value that is not sealed was written before encryption existed
   * (legacy plaintext) and is returned as is; `keys:seal-legacy` encrypts such rows.
   */
  async open(streamId: string, eventId: string, stored: Record<string, unknown>): Promise<OpenResult> {
    if (!isSealed(stored)) return { state: 'plain', value: stored };
    const found = await (await this.keyStore()).find(streamId);
    if (found.state !== 'present') return { state: 'erased' };
    const dataKey = this.ring.unwrap(streamId, found.masterKeyId, found.wrapped);
    try {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(stored.iv, 'base64'));
      decipher.setAAD(aad(streamId, eventId));
      decipher.setAuthTag(Buffer.from(stored.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(stored.ct, 'base64')), decipher.final()]).toString('utf8');
      return { state: 'plain', value: JSON.parse(plain) as Record<string, unknown> };
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * Creates the data keys of streams about to receive confidential data, all at once, so a key store that
   * groups concurrent inserts (SqliteDataKeyStore) commits them in one durable transaction instead of one
   * per stream inside each command. Only an optimisation ahead of seal(), which still looks the key up and
   * creates it itself when missing: a key provisioned for a command that then fails is an unused row
   * (it can be erased like any other); an erased stream keeps its tombstone (insertIfAbsent never replaces
   * a row), so seal() still refuses it.
   */
  async provision(streamIds: readonly string[]): Promise<void> {
    const keys = await this.keyStore();
    await Promise.all(
      [...new Set(streamIds)].map(async (streamId) => {
        if ((await keys.find(streamId)).state !== 'none') return;
        const fresh = randomBytes(32);
        try {
          await keys.insertIfAbsent({ streamId, ...this.ring.wrap(streamId, fresh) });
        } finally {
          fresh.fill(0);
        }
      }),
    );
  }

  /** Crypto-shredding: destroys the stream's data key (physically, see DataKeyStore.destroy). */
  async erase(streamId: string): Promise<boolean> {
    return (await this.keyStore()).destroy(streamId);
  }

  async isErased(streamId: string): Promise<boolean> {
    return (await (await this.keyStore()).find(streamId)).state === 'erased';
  }

  private async dataKeyFor(streamId: string): Promise<Buffer> {
    const keys = await this.keyStore();
    let found = await keys.find(streamId);
    if (found.state === 'none') {
      const fresh = randomBytes(32);
      found = await keys.insertIfAbsent({ streamId, ...this.ring.wrap(streamId, fresh) });
      fresh.fill(0);
    }
    if (found.state === 'erased') throw new DataKeyErasedError(streamId);
    if (found.state === 'none') throw new Error(`data key of ${streamId} vanished while being created`);
    return this.ring.unwrap(streamId, found.masterKeyId, found.wrapped);
  }

  async close(): Promise<void> {
    if (this.keysOpened) await (await this.keysOpened).close();
  }
}

const aad = (streamId: string, eventId: string) => Buffer.from(`coord:confidential:v1|${streamId}|${eventId}`);

/** Re-wraps every data key not wrapped by the current master key. Data is never re-encrypted. */
export async function rotateDataKeyWrapping(vault: ConfidentialVault, batchSize = 500): Promise<{ rewrapped: number; alreadyCurrent: number }> {
  const ring = vault.keyring;
  const keys = await vault.keyStore();
  let after = '';
  let rewrapped = 0;
  let alreadyCurrent = 0;
  for (;;) {
    const batch = await keys.list(after, batchSize);
    if (batch.length === 0) break;
    for (const k of batch) {
      after = k.streamId;
      if (k.masterKeyId === ring.currentId) {
        alreadyCurrent++;
        continue;
      }
      const dataKey = ring.unwrap(k.streamId, k.masterKeyId, k.wrapped);
      const next = ring.wrap(k.streamId, dataKey);
      dataKey.fill(0);
      // a concurrent erasure or rotation wins: the conditional update then changes nothing
      if (await keys.rewrap(k.streamId, k.masterKeyId, next)) rewrapped++;
    }
  }
  await keys.compact();
  return { rewrapped, alreadyCurrent };
}
