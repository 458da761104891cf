import { createHash } from 'node:crypto';

/**
 * Namespace of this product's name-based ids (a random UUID fixed once; never change it, or repeated
 * commands would stop being recognised as repeats).
 */
const NAMESPACE = Buffer.from('6f1c2a8e5b3d4c7f9a0e1d2c3b4a5968', 'hex');

/**
 * A UUID version 5 (RFC 9562: SHA-1 of namespace + name) for the `index`-th event a command appends to a
 * stream. The same command id always yields the same event ids, so a repeated command (same
 * Idempotency-Key or Kafka message key) is recognised by the store as a repeat instead of written twice.
 */
export function deterministicEventId(commandId: string, streamId: string, index: number): string {
  return uuidV5(`${commandId}\u0000${streamId}\u0000${index}`);
}

export function uuidV5(name: string, namespace: Buffer = NAMESPACE): string {
  const bytes = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50; // version 5
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
