import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource, QueryRunner } from 'typeorm';
import { SqlDialect } from './sql-dialect';

/**
 * "One active runner per projection": whoever holds the lease of every projection it runs may apply
 * events; the others stand by and poll. All or nothing — a runner holding half of its projections would
 * be as useless as one holding none, and try-locks released on a partial grab never deadlock.
 *
 * The lease is the FIRST line of defence (it keeps a second runner idle). The runner's guarded checkpoint
 * update (`WHERE position = <what we read>`, in the same transaction as the rows) stays the second: a
 * holder that lost its lease without noticing yet (a stalled process, a dropped connection) cannot commit
 * a batch over another runner's, it fails and re-reads.
 */
export interface ProjectionLease {
  /** who we are in the lease table / logs: host, pid and a random suffix */
  readonly holder: string;
  /** Try to hold every name now. True when held (also when already held). */
  acquire(): Promise<boolean>;
  /** Still held? Renews it when due. False = lost: stop applying, go back to standby. */
  check(): Promise<boolean>;
  release(): Promise<void>;
}

export interface ProjectionLeaseOptions {
  /** SQLite only: how long a lease row stays valid without renewal; default 10 s */
  ttlMs?: number;
  holder?: string;
}

export function defaultLeaseHolder(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/** The right lease for the read-model database: an advisory lock on PostgreSQL, a lease row on SQLite. */
export function createProjectionLease(dataSource: DataSource, names: readonly string[], options: ProjectionLeaseOptions = {}): ProjectionLease {
  return new SqlDialect(dataSource).postgres
    ? new AdvisoryLockLease(dataSource, names, options.holder ?? defaultLeaseHolder())
    : new LeaseRowLease(dataSource, names, options.holder ?? defaultLeaseHolder(), options.ttlMs ?? 10_000);
}

/** 'coor' — the first int4 of every projection lock; the second is derived from schema and projection name */
const LOCK_CLASS = 0x636f6f72;

/**
 * PostgreSQL: a SESSION-level `pg_try_advisory_lock` per projection on a dedicated connection.
 *
 * Why not a lease row with expiry here: the session lock dies with the session, so a SIGKILLed holder's
 * lock is released the moment PostgreSQL sees its socket close — takeover within one standby poll, no
 * TTL to tune, no clocks to trust. The price is one pooled connection held for the runner's lifetime, and
 * that a network partition is only noticed when the server drops the session (TCP keepalive): in that
 * window the old holder's batches fail at the guarded checkpoint update, so nothing is applied twice.
 */
export class AdvisoryLockLease implements ProjectionLease {
  private connection?: QueryRunner;
  private readonly keys: number[];

  constructor(
    private readonly dataSource: DataSource,
    names: readonly string[],
    readonly holder: string,
  ) {
    const schema = (dataSource.options as { schema?: string }).schema ?? 'public';
    // advisory locks are database-wide: the schema is part of the key so two deployments in one database do not collide
    this.keys = names.map((n) => createHash('sha1').update(`${schema}/${n}`).digest().readInt32BE(0));
  }

  async acquire(): Promise<boolean> {
    if (this.connection) return this.check();
    const qr = this.dataSource.createQueryRunner();
    try {
      await qr.connect();
      const got: number[] = [];
      for (const key of this.keys) {
        const [row] = (await qr.query('SELECT pg_try_advisory_lock($1, $2) AS ok', [LOCK_CLASS, key])) as { ok: boolean }[];
        if (!row.ok) break;
        got.push(key);
      }
      if (got.length === this.keys.length) {
        this.connection = qr;
        return true;
      }
      // partial grab: give back what we took (a session lock would otherwise outlive us in the pool)
      for (const key of got) await qr.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_CLASS, key]);
      await qr.release();
      return false;
    } catch (err) {
      await releaseQuietly(qr, true);
      throw err;
    }
  }

  async check(): Promise<boolean> {
    if (!this.connection) return false;
    try {
      // the session holds the locks for as long as it lives: a live session is a held lease
      await this.connection.query('SELECT 1');
      return true;
    } catch {
      const qr = this.connection;
      this.connection = undefined;
      await releaseQuietly(qr, true);
      return false;
    }
  }

  async release(): Promise<void> {
    const qr = this.connection;
    this.connection = undefined;
    if (!qr) return;
    try {
      await qr.query('SELECT pg_advisory_unlock_all()');
      await qr.release();
    } catch {
      await releaseQuietly(qr, true);
    }
  }
}

/**
 * SQLite: one row per projection in `projection_leases` (holder, expires_at in epoch ms), taken and
 * renewed by conditional writes inside one write transaction.
 *
 * Why a lease row and not a lock: SQLite has no advisory locks, and an exclusive file lock (flock) is not
 * reachable from Node without a native addon, is advisory only on Linux and does not cross network file
 * systems. The row lives in the same database as the rows it protects, and SQLite serializes writers, so
 * take-over and renewal are atomic. The trade-off is a TTL: a SIGKILLed holder's projections stand still
 * until its lease expires (default 10 s), and expiry is judged by the clock of each process — fine for
 * SQLite, whose processes share one machine (and so one clock) by construction.
 */
export class LeaseRowLease implements ProjectionLease {
  private validUntil = 0;
  private renewAt = 0;
  private readonly dialect: SqlDialect;
  private readonly table: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly names: readonly string[],
    readonly holder: string,
    private readonly ttlMs: number,
  ) {
    this.dialect = new SqlDialect(dataSource);
    const schema = (dataSource.options as { schema?: string }).schema;
    this.table = schema ? `${this.dialect.quote(schema)}."projection_leases"` : '"projection_leases"';
  }

  async acquire(): Promise<boolean> {
    const now = Date.now();
    if (this.validUntil > now) return this.check();
    const ok = await this.write(now, false);
    if (ok) this.held(now);
    return ok;
  }

  async check(): Promise<boolean> {
    const now = Date.now();
    if (now >= this.validUntil) return (this.validUntil = 0), false;
    if (now < this.renewAt) return true;
    const ok = await this.write(now, true).catch(() => false);
    if (ok) this.held(now);
    // a failed renewal keeps the lease until it would have expired anyway; the next check retries
    return ok || Date.now() < this.validUntil;
  }

  async release(): Promise<void> {
    if (this.validUntil === 0) return;
    this.validUntil = 0;
    const p = this.dialect.params();
    const sql = `UPDATE ${this.table} SET "expires_at" = 0 WHERE "holder" = ${p.add(this.holder)} AND "name" IN (${p.list(this.names)})`;
    await this.dataSource.query(sql, p.values).catch(() => undefined);
  }

  private held(now: number): void {
    this.validUntil = now + this.ttlMs;
    this.renewAt = now + Math.floor(this.ttlMs / 3);
  }

  /** Take (free or expired rows, or ours) or renew (ours only) every row in one transaction; all or nothing. */
  private async write(now: number, renewOnly: boolean): Promise<boolean> {
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      let affected = 0;
      for (const name of this.names) {
        // placeholders are bound in textual order on SQLite (`?`): add the values in the order they appear
        const p = this.dialect.params();
        const sql = renewOnly
          ? `UPDATE ${this.table} SET "expires_at" = ${p.add(now + this.ttlMs)} WHERE "name" = ${p.add(name)} AND "holder" = ${p.add(this.holder)}`
          : `INSERT INTO ${this.table} ("name", "holder", "expires_at") VALUES (${p.add(name)}, ${p.add(this.holder)}, ${p.add(now + this.ttlMs)})
             ON CONFLICT ("name") DO UPDATE SET "holder" = excluded."holder", "expires_at" = excluded."expires_at"
             WHERE ${this.table}."holder" = excluded."holder" OR ${this.table}."expires_at" < ${p.add(now)}`;
        const result = (await qr.query(sql, p.values, true)) as { affected?: number };
        if (result.affected !== 1) break;
        affected += 1;
      }
      if (affected !== this.names.length) {
        await qr.rollbackTransaction();
        return false;
      }
      await qr.commitTransaction();
      return true;
    } catch (err) {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      // another writer held the database (SQLITE_BUSY): not ours this round
      if (/SQLITE_BUSY|database is locked/i.test(String(err))) return false;
      throw err;
    } finally {
      await qr.release();
    }
  }
}

async function releaseQuietly(qr: QueryRunner, broken: boolean): Promise<void> {
  try {
    // A broken or lock-holding connection must not go back to the pool as if it were clean: PostgreSQL's
    // query runner hands an error to pg-pool's release, which then destroys the client instead.
    const pgRunner = qr as unknown as { releasePostgresConnection?: (err?: unknown) => Promise<void> };
    if (broken && pgRunner.releasePostgresConnection) await pgRunner.releasePostgresConnection(new Error('lease connection discarded'));
    else await qr.release();
  } catch {
    /* already gone */
  }
}
