import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * Sign-in state of the api (apps/api/src/auth/auth-state.store.ts) — NOT read models: nothing projects
 * into these tables, a projection rebuild leaves them alone, and they hold no business facts.
 *  - auth_sessions: one row per sign-in (a refresh-token family); revoked on logout, on reuse of a rotated
 *    refresh token and on a password change. Access tokens carry the session id, so revocation is immediate.
 *  - auth_refresh_tokens: SHA-256 of each refresh token (never the token), rotated_at set when used once.
 *  - auth_login_attempts: failed-login counters per account and per client address, one row per key and
 *    window, so an attacker's guessing cannot grow anything without bound (expired rows are purged).
 * They live in the read-model database because every api replica shares it (PostgreSQL in the distributed
 * profile), so sessions and throttling hold across replicas.
 */
export class AuthSessions1768348800000 implements MigrationInterface {
  name = 'AuthSessions1768348800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'auth_sessions',
        columns: [
          { name: 'session_id', type: 'varchar', isPrimary: true, isNullable: false },
          { name: 'user_id', type: 'varchar', isNullable: false },
          { name: 'username', type: 'varchar', isNullable: false },
          { name: 'created_at', type: 'bigint', isNullable: false },
          { name: 'expires_at', type: 'bigint', isNullable: false },
          { name: 'revoked_at', type: 'bigint', isNullable: true },
          { name: 'revoked_reason', type: 'varchar', isNullable: true },
          { name: 'totp_step', type: 'bigint', isNullable: true },
        ],
        indices: [{ name: 'ix_auth_sessions_username', columnNames: ['username'] }],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_refresh_tokens',
        columns: [
          { name: 'token_hash', type: 'varchar', isPrimary: true, isNullable: false },
          { name: 'session_id', type: 'varchar', isNullable: false },
          { name: 'created_at', type: 'bigint', isNullable: false },
          { name: 'expires_at', type: 'bigint', isNullable: false },
          { name: 'rotated_at', type: 'bigint', isNullable: true },
        ],
        indices: [{ name: 'ix_auth_refresh_tokens_session', columnNames: ['session_id'] }],
      }),
      true,
    );
    await queryRunner.createTable(
      new Table({
        name: 'auth_login_attempts',
        columns: [
          { name: 'attempt_key', type: 'varchar', isPrimary: true, isNullable: false },
          { name: 'window_started_at', type: 'bigint', isNullable: false },
          { name: 'failures', type: 'integer', isNullable: false },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('auth_login_attempts', true);
    await queryRunner.dropTable('auth_refresh_tokens', true);
    await queryRunner.dropTable('auth_sessions', true);
  }
}
