import { Injectable } from '@nestjs/common';
import { DataSource, type QueryRunner } from 'typeorm';

export interface SessionRow {
  sessionId: string;
  userId: string;
  username: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
  totpStep: number | null;
}

export interface RefreshTokenRow {
  tokenHash: string;
  sessionId: string;
  createdAt: number;
  expiresAt: number;
  rotatedAt: number | null;
}

type Raw = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * The sign-in state tables (migration 1768348800000-auth-sessions) in the read-model database, by hand-
 * written SQL portable between SQLite and PostgreSQL. Every check-and-change is ONE statement (an upsert or
 * an UPDATE … WHERE … RETURNING), so concurrent requests — on one api or on several replicas — cannot
 * both pass a check that only one of them should pass.
 */
@Injectable()
export class AuthStateStore {
  private readonly postgres: boolean;
  private readonly schema?: string;

  constructor(private readonly dataSource: DataSource) {
    this.postgres = dataSource.options.type === 'postgres';
    this.schema = this.postgres ? ((dataSource.options as { schema?: string }).schema ?? undefined) : undefined;
  }

  private t(name: string): string {
    return this.schema ? `"${this.schema}"."${name}"` : `"${name}"`;
  }

  /** `?` placeholders, rewritten to `$n` for PostgreSQL */
  private async rows(sql: string, params: unknown[]): Promise<Raw[]> {
    let i = 0;
    const text = this.postgres ? sql.replace(/\?/g, () => `$${++i}`) : sql;
    const runner: QueryRunner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(text, params, true);
      return (result.records ?? []) as Raw[];
    } finally {
      await runner.release();
    }
  }

  // ---- login throttling ----------------------------------------------------------------------------------

  /**
   * Counts one attempt against `key` and returns the count in the current fixed window and when that
   * window started. Counted BEFORE the password is checked (and refunded on success), so N concurrent
   * guesses cannot all slip under the limit between a check and an increment.
   */
  async countAttempt(key: string, now: number, windowMs: number): Promise<{ failures: number; windowStartedAt: number }> {
    const cutoff = now - windowMs;
    const [row] = await this.rows(
      `INSERT INTO ${this.t('auth_login_attempts')} AS a ("attempt_key", "window_started_at", "failures") VALUES (?, ?, 1)
       ON CONFLICT ("attempt_key") DO UPDATE SET
         "failures" = CASE WHEN a."window_started_at" <= ? THEN 1 ELSE a."failures" + 1 END,
         "window_started_at" = CASE WHEN a."window_started_at" <= ? THEN excluded."window_started_at" ELSE a."window_started_at" END
       RETURNING "failures", "window_started_at"`,
      [key, now, cutoff, cutoff],
    );
    return { failures: Number(row.failures), windowStartedAt: Number(row.window_started_at) };
  }

  /** A successful sign-in: the account's counter is cleared. */
  async clearAttempts(key: string): Promise<void> {
    await this.rows(`DELETE FROM ${this.t('auth_login_attempts')} WHERE "attempt_key" = ?`, [key]);
  }

  /** A successful sign-in from an address gives back the attempt it was counted (only failures count). */
  async refundAttempt(key: string): Promise<void> {
    await this.rows(`UPDATE ${this.t('auth_login_attempts')} SET "failures" = "failures" - 1 WHERE "attempt_key" = ? AND "failures" > 0`, [key]);
  }

  /** Rows of windows that are over: what keeps the table bounded by (keys active in one window). */
  async purgeAttempts(before: number): Promise<void> {
    await this.rows(`DELETE FROM ${this.t('auth_login_attempts')} WHERE "window_started_at" <= ?`, [before]);
  }

  // ---- sessions and refresh tokens -----------------------------------------------------------------------

  async insertSession(s: Omit<SessionRow, 'revokedAt' | 'revokedReason'>, token: Omit<RefreshTokenRow, 'rotatedAt' | 'sessionId'>): Promise<void> {
    await this.rows(
      `INSERT INTO ${this.t('auth_sessions')} ("session_id", "user_id", "username", "created_at", "expires_at", "totp_step") VALUES (?, ?, ?, ?, ?, ?)`,
      [s.sessionId, s.userId, s.username, s.createdAt, s.expiresAt, s.totpStep],
    );
    await this.insertRefreshToken({ ...token, sessionId: s.sessionId });
  }

  async insertRefreshToken(token: Omit<RefreshTokenRow, 'rotatedAt'>): Promise<void> {
    await this.rows(`INSERT INTO ${this.t('auth_refresh_tokens')} ("token_hash", "session_id", "created_at", "expires_at") VALUES (?, ?, ?, ?)`, [
      token.tokenHash,
      token.sessionId,
      token.createdAt,
      token.expiresAt,
    ]);
  }

  async session(sessionId: string): Promise<SessionRow | undefined> {
    const [r] = await this.rows(`SELECT * FROM ${this.t('auth_sessions')} WHERE "session_id" = ?`, [sessionId]);
    return r ? toSession(r) : undefined;
  }

  async refreshToken(tokenHash: string): Promise<RefreshTokenRow | undefined> {
    const [r] = await this.rows(`SELECT * FROM ${this.t('auth_refresh_tokens')} WHERE "token_hash" = ?`, [tokenHash]);
    return r
      ? { tokenHash: String(r.token_hash), sessionId: String(r.session_id), createdAt: Number(r.created_at), expiresAt: Number(r.expires_at), rotatedAt: num(r.rotated_at) }
      : undefined;
  }

  /** Marks the token used; false when another request used it first (then it is a reuse). */
  async rotate(tokenHash: string, now: number): Promise<boolean> {
    const rows = await this.rows(`UPDATE ${this.t('auth_refresh_tokens')} SET "rotated_at" = ? WHERE "token_hash" = ? AND "rotated_at" IS NULL RETURNING "token_hash"`, [
      now,
      tokenHash,
    ]);
    return rows.length === 1;
  }

  async revokeSession(sessionId: string, now: number, reason: string): Promise<void> {
    await this.rows(`UPDATE ${this.t('auth_sessions')} SET "revoked_at" = ?, "revoked_reason" = ? WHERE "session_id" = ? AND "revoked_at" IS NULL`, [now, reason, sessionId]);
  }

  async revokeAllSessions(username: string, now: number, reason: string): Promise<void> {
    await this.rows(`UPDATE ${this.t('auth_sessions')} SET "revoked_at" = ?, "revoked_reason" = ? WHERE "username" = ? AND "revoked_at" IS NULL`, [now, reason, username]);
  }

  /** The highest TOTP step a session of this account was opened with: a code is accepted once (RFC 6238 §5.2). */
  async lastTotpStep(username: string): Promise<number | null> {
    const [r] = await this.rows(`SELECT MAX("totp_step") AS "step" FROM ${this.t('auth_sessions')} WHERE "username" = ?`, [username]);
    return r ? num(r.step) : null;
  }
}

function toSession(r: Raw): SessionRow {
  return {
    sessionId: String(r.session_id),
    userId: String(r.user_id),
    username: String(r.username),
    createdAt: Number(r.created_at),
    expiresAt: Number(r.expires_at),
    revokedAt: num(r.revoked_at),
    revokedReason: r.revoked_reason === null || r.revoked_reason === undefined ? null : String(r.revoked_reason),
    totpStep: num(r.totp_step),
  };
}
