import type { HashedFields } from './event-hash';

/** One event as the verifier reads it: the hashed fields, the stored hash and its stream predecessor's link. */
export interface ChainRow extends HashedFields {
  /** the stored hash; null when the row was written outside the adapter (or before the upgrade ran) */
  hash: string | null;
  /** the occurred_at index column (derived from metadata.occurredAt), checked for agreement */
  occurredAtColumn: string;
  /** the event at streamVersion - 1 of the same stream, if there is one */
  prevInStream: { position: number; hash: string | null } | null;
}

/** A signed statement "the log's hash at `position` was `globalHash`", made at `at`. */
export interface Checkpoint {
  position: number;
  globalHash: string;
  /** ISO-8601 instant the checkpoint was signed */
  at: string;
  /** identifies the Ed25519 public key (see checkpoint-signing.ts) */
  keyId: string;
  /** base64 Ed25519 signature over the canonical checkpoint payload */
  signature: string;
}

/**
 * What the integrity tooling needs from a store beyond the EventStore port: the hash column, raw reads in
 * position order and the checkpoints table. Implemented by the SQLite and PostgreSQL adapters
 * (`store.integrityLog()`); it reads the storage directly, below any decorator around the port.
 */
export interface IntegrityLog {
  /** Up to `limit` rows with position > `after`, in position order. */
  readChain(after: number, limit: number): Promise<ChainRow[]>;
  /** The last event's position and stored hash, or null for an empty log. */
  chainHead(): Promise<{ position: number; hash: string | null } | null>;
  /** Insert a checkpoint; false when one already exists at that position (another process made it). */
  saveCheckpoint(cp: Checkpoint): Promise<boolean>;
  /** Checkpoints with position > `after`, in position order. */
  readCheckpoints(after: number, limit: number): Promise<Checkpoint[]>;
  lastCheckpoint(): Promise<Checkpoint | null>;
  /** The first stream whose recorded version (streams table) disagrees with its events, if any. */
  streamHeadMismatch(): Promise<{ streamId: string; recordedVersion: number | null; eventsVersion: number | null; position: number | null } | null>;
}
