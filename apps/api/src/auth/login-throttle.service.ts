import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@coord/platform';
import { InputProblem } from '../http/problem-details';
import { AuthStateStore } from './auth-state.store';

/** Raised when sign-in is refused for too many failures; the controller turns it into 429 + Retry-After. */
export class LoginThrottledError extends InputProblem {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'login-throttled', `登录失败次数过多，请 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再试`);
  }
}

/**
 * Failed sign-ins per username AND per client address, in fixed windows (docs/security-authentication.md).
 *
 * Where the counts live: the auth_login_attempts table of the read-model database, one row per key —
 * shared by every api replica (PostgreSQL in the distributed profile), bounded (a key's row is reused
 * window after window, and finished windows are purged), and never in the event log: failures are
 * caused by anonymous callers, and an append-only, hash-chained log must not grow at an attacker's will.
 * A lockout is logged (warn, username and address only).
 *
 * Every attempt is counted before the password is checked and given back when it succeeds, so a burst of
 * concurrent guesses gets no more checks than the limit: the count is an atomic upsert.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger('login-throttle');
  private lastPurge = 0;

  constructor(
    private readonly state: AuthStateStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private get windowMs(): number {
    return this.config.auth.loginThrottle.windowSeconds * 1000;
  }

  /** Counts the attempt; throws LoginThrottledError when the account or the address is over its limit. */
  async attempt(username: string, address: string, now = Date.now()): Promise<void> {
    const limits = this.config.auth.loginThrottle;
    if (now - this.lastPurge > 60_000) {
      this.lastPurge = now;
      await this.state.purgeAttempts(now - this.windowMs);
    }
    const account = await this.state.countAttempt(accountKey(username), now, this.windowMs);
    const addr = await this.state.countAttempt(addressKey(address), now, this.windowMs);
    const over: number[] = [];
    if (account.failures > limits.maxFailuresPerAccount) over.push(account.windowStartedAt + this.windowMs);
    if (addr.failures > limits.maxFailuresPerAddress) over.push(addr.windowStartedAt + this.windowMs);
    if (!over.length) return;
    // log once, as the limit is crossed, not on every refused attempt after it
    if (account.failures === limits.maxFailuresPerAccount + 1 || addr.failures === limits.maxFailuresPerAddress + 1) {
      this.logger.warn(`sign-in throttled: username ${JSON.stringify(username)} (${account.failures} attempts), address ${address} (${addr.failures} attempts)`);
    }
    throw new LoginThrottledError(Math.max(1, Math.ceil((Math.max(...over) - now) / 1000)));
  }

  /** The attempt succeeded: the account starts afresh and the address gets its attempt back. */
  async succeeded(username: string, address: string): Promise<void> {
    await this.state.clearAttempts(accountKey(username));
    await this.state.refundAttempt(addressKey(address));
  }

  /** The password was right but the second factor was missing (the client will ask for it): not a failure. */
  async refund(username: string, address: string): Promise<void> {
    await this.state.refundAttempt(accountKey(username));
    await this.state.refundAttempt(addressKey(address));
  }
}

const accountKey = (username: string) => `account:${username}`;
const addressKey = (address: string) => `address:${address}`;
