import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { canonicalJson } from './canonical-json';
import type { Checkpoint } from './integrity-log';

/**
 * Ed25519 signatures over checkpoints (node:crypto, no dependency).
 *
 * Signed bytes: UTF-8 of canonicalJson({ format: 1, kind: 'coord.integrity.checkpoint', position,
 * globalHash, at, keyId }). keyId: the first 16 hex digits of SHA-256 over the public key's SPKI DER
 * encoding, so a checkpoint names the key that signed it and keys can rotate (old checkpoints keep
 * verifying as long as their public key stays in the trusted set).
 */
export function checkpointPayload(cp: Omit<Checkpoint, 'signature'>): string {
  return canonicalJson({ format: 1, kind: 'coord.integrity.checkpoint', position: cp.position, globalHash: cp.globalHash, at: cp.at, keyId: cp.keyId });
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export class CheckpointSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the integrity signing key must be an Ed25519 private key');
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  /** PEM of the public key: publish it (and pin it outside this system) so auditors can verify checkpoints. */
  get publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(position: number, globalHash: string, at: Date = new Date()): Checkpoint {
    const unsigned = { position, globalHash, at: at.toISOString(), keyId: this.keyId };
    const signature = sign(null, Buffer.from(checkpointPayload(unsigned), 'utf8'), this.privateKey).toString('base64');
    return { ...unsigned, signature };
  }
}

/** The public keys a verifier trusts, by keyId. */
export class TrustedKeys {
  private readonly keys = new Map<string, KeyObject>();

  constructor(publicKeys: Iterable<KeyObject>) {
    for (const k of publicKeys) {
      if (k.asymmetricKeyType !== 'ed25519') throw new Error('trusted integrity keys must be Ed25519 public keys');
      this.keys.set(keyIdOf(k), k);
    }
  }

  /** Parses every PEM block ("-----BEGIN PUBLIC KEY-----" or a private key, whose public half is taken). */
  static fromPem(...pems: string[]): TrustedKeys {
    const blocks = pems.flatMap((p) => p.match(/-----BEGIN [A-Z ]+-----[\s\S]+?-----END [A-Z ]+-----/g) ?? []);
    return new TrustedKeys(blocks.map((b) => (b.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(b)) : createPublicKey(b))));
  }

  get ids(): string[] {
    return [...this.keys.keys()];
  }

  get publicKeys(): KeyObject[] {
    return [...this.keys.values()];
  }

  /** 'ok', 'unknown-key' (no trusted key with that id) or 'bad-signature'. */
  check(cp: Checkpoint): 'ok' | 'unknown-key' | 'bad-signature' {
    const key = this.keys.get(cp.keyId);
    if (!key) return 'unknown-key';
    let good = false;
    try {
      good = verify(null, Buffer.from(checkpointPayload(cp), 'utf8'), key, Buffer.from(cp.signature, 'base64'));
    } catch {
      good = false;
    }
    return good ? 'ok' : 'bad-signature';
  }
}

/**
 * The signing key from a PEM file; generated (PKCS#8 PEM, mode 0600) when the file does not exist yet —
 * the same convention as the JWT secret in the data folder.
 */
export function loadOrCreateSigningKey(file: string): KeyObject {
  if (existsSync(file)) return createPrivateKey(readFileSync(file, 'utf8'));
  const { privateKey } = generateKeyPairSync('ed25519');
  try {
    // 'wx': two processes starting at once on a fresh data folder must end up with ONE key
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    return privateKey;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return createPrivateKey(readFileSync(file, 'utf8'));
  }
}

/**
 * The signer (when a signing key is available) and the verifier's trusted keys: the signing key's public
 * half plus every key in the optional trusted-keys PEM file. `create: false` (the verify command) never
 * writes a key: verifying must not change the data folder.
 */
export function loadCheckpointKeys(files: { signingKeyFile: string; trustedKeysFile?: string }, options: { create: boolean }): { signer?: CheckpointSigner; trusted: TrustedKeys } {
  const key = options.create || existsSync(files.signingKeyFile) ? loadOrCreateSigningKey(files.signingKeyFile) : undefined;
  const signer = key ? new CheckpointSigner(key) : undefined;
  const extra = files.trustedKeysFile ? TrustedKeys.fromPem(readFileSync(files.trustedKeysFile, 'utf8')) : undefined;
  const trusted = new TrustedKeys([...(signer ? [signer.publicKey] : []), ...(extra ? extra.publicKeys : [])]);
  return { signer, trusted };
}
