import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@coord/platform';
import { InputProblem } from '../http/problem-details';
import { AccountLoader, type LoadedAccount } from './account-credentials';
import { AuthStateStore } from './auth-state.store';

/** Claims of the api's own access tokens (HS256). */
export interface AccessClaims {
  sub: string;
  username: string;
  role: string;
  agency?: string;
  /** the sign-in session (refresh-token family); absent on an enrolment-only token */
  sid?: string;
  /** the account's credential version at sign-in (AccountCredentials.credentialVersion) */
  ver: number;
  /** 'totp-enrolment': the account's role requires a second factor it has not enrolled — it may only enrol */
  scope?: 'totp-enrolment';
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** seconds until the access token expires */
  expiresIn: number;
}

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');

const refreshInvalid = () => new InputProblem(401, 'refresh-token-invalid', '刷新令牌无效或已过期，请重新登录');

/**
 * Access tokens are short (COORD_TOKEN_TTL_SECONDS, 15 min) and stateless apart from two cheap checks in the
 * guard (the session row, the credential version). Refresh tokens are opaque random strings, stored only as
 * SHA-256 (they carry 256 bits of entropy, so a slow hash adds nothing), single-use: each refresh rotates
 * the token, and presenting a rotated one again means it was copied — the whole session (family) is
 * revoked, for the thief and the user alike (OAuth 2.0 Security BCP §4.14).
 */
@Injectable()
export class SessionService {
  private readonly logger = new Logger('sessions');

  constructor(
    private readonly jwt: JwtService,
    private readonly state: AuthStateStore,
    private readonly accounts: AccountLoader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private claims(account: LoadedAccount, extra: Pick<AccessClaims, 'sid' | 'scope'>): AccessClaims {
    const v = account.view;
    return { sub: v.userId, username: v.username, role: v.role, ...(v.agency ? { agency: v.agency } : {}), ver: account.credentials.credentialVersion, ...extra };
  }

  async open(account: LoadedAccount, totpStep: number | undefined, now = Date.now()): Promise<TokenPair> {
    const sessionId = randomUUID();
    const refreshToken = randomBytes(32).toString('base64url');
    await this.state.insertSession(
      { sessionId, userId: account.view.userId, username: account.view.username, createdAt: now, expiresAt: now + this.config.auth.sessionMaxSeconds * 1000, totpStep: totpStep ?? null },
      { tokenHash: hashRefreshToken(refreshToken), createdAt: now, expiresAt: this.refreshExpiry(now, now + this.config.auth.sessionMaxSeconds * 1000) },
    );
    return { accessToken: await this.jwt.signAsync(this.claims(account, { sid: sessionId })), refreshToken, tokenType: 'Bearer', expiresIn: this.config.tokenTtlSeconds };
  }

  /** A token that only lets the user enrol a second factor; no session, no refresh. */
  async enrolmentOnly(account: LoadedAccount): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number }> {
    return { accessToken: await this.jwt.signAsync(this.claims(account, { scope: 'totp-enrolment' })), tokenType: 'Bearer', expiresIn: this.config.tokenTtlSeconds };
  }

  async refresh(refreshToken: string, now = Date.now()): Promise<TokenPair> {
    const hash = hashRefreshToken(refreshToken);
    const token = await this.state.refreshToken(hash);
    if (!token) throw refreshInvalid();
    const session = await this.state.session(token.sessionId);
    if (!session || session.revokedAt !== null || session.expiresAt <= now) throw refreshInvalid();
    if (token.rotatedAt !== null || !(await this.state.rotate(hash, now))) {
      await this.state.revokeSession(session.sessionId, now, 'refresh-token-reused');
      this.logger.warn(`a rotated refresh token was presented again: session ${session.sessionId} of ${session.username} revoked`);
      throw new InputProblem(401, 'refresh-token-reused', '刷新令牌已被使用过，为安全起见该登录会话已注销，请重新登录');
    }
    if (token.expiresAt <= now) throw refreshInvalid();
    const account = await this.accounts.load(session.username);
    if (!account || !account.view.active) {
      await this.state.revokeSession(session.sessionId, now, 'account-disabled');
      throw refreshInvalid();
    }
    const next = randomBytes(32).toString('base64url');
    await this.state.insertRefreshToken({ tokenHash: hashRefreshToken(next), sessionId: session.sessionId, createdAt: now, expiresAt: this.refreshExpiry(now, session.expiresAt) });
    return {
      accessToken: await this.jwt.signAsync(this.claims(account, { sid: session.sessionId })),
      refreshToken: next,
      tokenType: 'Bearer',
      expiresIn: this.config.tokenTtlSeconds,
    };
  }

  async logout(sessionId: string | undefined, now = Date.now()): Promise<void> {
    if (sessionId) await this.state.revokeSession(sessionId, now, 'logout');
  }

  async revokeAll(username: string, reason: string, now = Date.now()): Promise<void> {
    await this.state.revokeAllSessions(username, now, reason);
  }

  /** Whether the session an access token names is still open (logout, reuse, password change close it). */
  async isOpen(sessionId: string, now = Date.now()): Promise<boolean> {
    const s = await this.state.session(sessionId);
    return !!s && s.revokedAt === null && s.expiresAt > now;
  }

  private refreshExpiry(now: number, sessionExpiry: number): number {
    return Math.min(now + this.config.auth.refreshTokenTtlSeconds * 1000, sessionExpiry);
  }
}
