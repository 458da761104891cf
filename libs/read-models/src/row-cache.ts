/**
 * The rows of one projection that a catch-up (or rebuild) keeps between its transactions, so that an event
 * on a lead registered three batches ago does not read the lead's row back from the table.
 *
 * Why it is correct: while a catch-up runs, this runner is the only writer of the projection's rows — every
 * other writer (a second runner, a shadow rebuild's swap) also moves the projection's checkpoint, and this
 * runner's guarded checkpoint update then fails and rolls its transaction back. The runner drops the whole
 * cache on any failure and starts each catch-up with an empty one; so a cached row is always the row as
 * this runner last committed (or read) it. Rows are added to the cache only from the table or from a
 * committed transaction's changes, and evicted only between transactions, never while they are dirty.
 *
 * Why memory stays bounded: at most `capacity` rows are kept after each commit (least recently written
 * first out), plus, during one transaction, the rows that transaction touches (bounded by its size).
 *
 * Rows known not to exist: when the table was empty as the catch-up started (a rebuild from zero, or a new
 * read-model database), every row in the table was written through this cache. A key that is neither
 * cached nor was ever evicted therefore has no row, and needs no lookup — which matters, because about
 * half the keys a history touches are new (a registration, a transfer's clocks, an archived period). The
 * evicted keys are remembered in a fixed-size Bloom filter: it may answer "perhaps evicted" for a key that
 * was not (then the table is read, and says no), never the reverse; and its size does not grow with the
 * number of events — past its design load it just answers "perhaps" more often, which costs lookups, not
 * correctness.
 */
export class RowCache {
  /** cached rows, least recently written first (Map iteration order) */
  readonly rows = new Map<string, object>();
  private readonly evicted: KeyFilter | undefined;

  /**
   * @param capacity rows kept between transactions
   * @param tableWasEmpty the table held no rows when the catch-up began (checked after its checkpoint was read)
   */
  constructor(
    readonly capacity: number,
    tableWasEmpty: boolean,
  ) {
    this.evicted = tableWasEmpty ? new KeyFilter() : undefined;
  }

  /** True when the table certainly holds no row for a key that is not cached (and not pending). */
  knownAbsent(key: string): boolean {
    return this.evicted !== undefined && !this.evicted.mightContain(key);
  }

  /**
   * After a commit: the written rows become the most recent; deleted ones are gone; trim to capacity.
   * `pending`: the changes of a batch prepared on top of this one and not committed yet — its rows are
   * newer than the committed ones, and must stay cached until it commits, so they are neither overwritten
   * nor evicted here.
   */
  committed(changes: ReadonlyMap<string, object | null>, pending?: ReadonlyMap<string, object | null>): void {
    for (const [key, row] of changes) {
      if (pending?.has(key)) continue;
      this.rows.delete(key);
      if (row !== null) this.rows.set(key, row);
    }
    this.trim(pending);
  }

  /** Rows read from the table are cached like written ones (they are the committed state). */
  loaded(rows: ReadonlyMap<string, object>): void {
    for (const [key, row] of rows) this.rows.set(key, row);
  }

  private trim(pending?: ReadonlyMap<string, object | null>): void {
    let excess = this.rows.size - this.capacity;
    if (excess <= 0) return;
    for (const key of this.rows.keys()) {
      if (excess <= 0) break;
      if (pending?.has(key)) continue;
      this.rows.delete(key);
      this.evicted?.add(key);
      excess--;
    }
  }
}

/**
 * A Bloom filter over strings with a fixed size (2^23 bits = 1 MiB, three probes from two FNV-1a style
 * hashes): about 1% false positives at 700,000 keys, 10% at 1.7 million, and never a false negative.
 */
export class KeyFilter {
  private static readonly BITS = 1 << 23;
  private readonly words = new Uint32Array(KeyFilter.BITS >>> 5);

  add(key: string): void {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < 3; i++) {
      const bit = (h1 + i * h2) & (KeyFilter.BITS - 1);
      const word = bit >>> 5;
      this.words[word] = (this.words[word] ?? 0) | (1 << (bit & 31));
    }
  }

  mightContain(key: string): boolean {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < 3; i++) {
      const bit = (h1 + i * h2) & (KeyFilter.BITS - 1);
      if (((this.words[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}

function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  b ^= b >>> 13;
  // an odd step, so the probes of one key differ
  return [a >>> 0, (b | 1) >>> 0];
}
