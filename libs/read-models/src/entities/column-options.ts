import type { ValueTransformer } from 'typeorm';

/**
 * Money (fen) and log positions are 64-bit integers: SQLite INTEGER hands them back as numbers, PostgreSQL
 * bigint as strings (pg refuses to guess). Both become numbers here; anything beyond 2^53 would lose
 * precision silently, so it fails loudly instead (2^53 fen is about 90 trillion yuan).
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null | undefined) => (value === null || value === undefined ? null : toSafeInteger(value)),
};

export function toSafeInteger(value: string | number | bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer out of safe range: ${String(value)}`);
  return n;
}
