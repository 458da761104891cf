import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Where the master key(s) come from. The master key never encrypts data: it only wraps the per-stream
 * data keys (envelope encryption), so rotating it re-wraps a few dozen bytes per stream, never the events.
 *
 *  - `keys`: base64 keys given directly (COORD_MASTER_KEY, COORD_MASTER_KEY_PREVIOUS), the first current;
 *  - `file`: a file with one base64 key per line, the first current (COORD_MASTER_KEY_FILE, or the
 *    embedded default `<data>/master-key`, generated with mode 0600 on first use like the JWT secret).
 *
 * Keys after the first are RETIRED: accepted to unwrap, never used to wrap. They exist only for the
 * duration of a rotation (keys:rotate), after which the operator destroys them.
 */
export type MasterKeySource =
  | { kind: 'keys'; current: string; previous: string[] }
  | { kind: 'file'; file: string; generateIfMissing: boolean };

export class MasterKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MasterKeyError';
  }
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A short, stable, non-secret name for a master key: stored next to every key it wrapped. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update('coord-master-key-id:').update(key).digest('hex').slice(0, 16);
}

export function decodeMasterKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new MasterKeyError(`${where} must be ${KEY_BYTES} bytes of base64 (got ${key.length} bytes); generate one with: openssl rand -base64 32`);
  return key;
}

export const generateMasterKey = (): string => randomBytes(KEY_BYTES).toString('base64');

/** Reads (or, for the embedded default, creates) a key file: one base64 key per line, the first current. */
export function readMasterKeyFile(file: string, generateIfMissing: boolean): Buffer[] {
  if (!existsSync(file)) {
    if (!generateIfMissing) throw new MasterKeyError(`master key file ${file} does not exist`);
    // 'wx': never overwrite a key another process created a moment ago (that would orphan its data keys)
    try {
      writeFileSync(file, `${generateMasterKey()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new MasterKeyError(`master key file ${file} holds no key`);
  return lines.map((l, i) => decodeMasterKey(l, `${file} line ${i + 1}`));
}

/** Writes a key file atomically enough for an operator command (mode 0600). */
export function writeMasterKeyFile(file: string, keys: string[]): void {
  writeFileSync(file, `${keys.join('\n')}\n`, { mode: 0o600 });
}

/**
 * The current master key plus retired ones, by id. Wrapping uses AES-256-GCM with the stream id and the
 * master key id as associated data, so a wrapped key moved to another stream's row does not unwrap.
 */
export class MasterKeyring {
  private keys = new Map<string, Buffer>();
  private currentKeyId = '';

  private constructor(private readonly source?: MasterKeySource) {}

  static fromSource(source: MasterKeySource): MasterKeyring {
    const ring = new MasterKeyring(source);
    ring.reload();
    return ring;
  }

  static fromKeys(current: Buffer, previous: Buffer[] = []): MasterKeyring {
    const ring = new MasterKeyring();
    ring.install([current, ...previous]);
    return ring;
  }

  get currentId(): string {
    return this.currentKeyId;
  }

  has(id: string): boolean {
    return this.keys.has(id);
  }

  /** Re-reads a key file (after `keys:rotate` changed it under a running process). */
  reload(): void {
    const s = this.source;
    if (!s) return;
    this.install(
      s.kind === 'file'
        ? readMasterKeyFile(s.file, s.generateIfMissing)
        : [decodeMasterKey(s.current, 'COORD_MASTER_KEY'), ...s.previous.map((k, i) => decodeMasterKey(k, `COORD_MASTER_KEY_PREVIOUS item ${i + 1}`))],
    );
  }

  private install(keys: Buffer[]): void {
    this.keys = new Map(keys.map((k) => [masterKeyId(k), k]));
    this.currentKeyId = masterKeyId(keys[0]);
  }

  wrap(streamId: string, dataKey: Buffer): { masterKeyId: string; wrapped: Buffer } {
    const id = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(id) as Buffer, iv);
    cipher.setAAD(Buffer.from(`coord:data-key:v1|${streamId}|${id}`));
    const ct = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return { masterKeyId: id, wrapped: Buffer.concat([iv, cipher.getAuthTag(), ct]) };
  }

  unwrap(streamId: string, id: string, wrapped: Buffer): Buffer {
    if (!this.keys.has(id) && this.source?.kind === 'file') this.reload();
    const key = this.keys.get(id);
    if (!key) throw new MasterKeyError(`data key of ${streamId} is wrapped with master key ${id}, which is not configured (finish keys:rotate, or add the old key to COORD_MASTER_KEY_PREVIOUS)`);
    const decipher = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`coord:data-key:v1|${streamId}|${id}`));
    decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}
