import { Inject, Injectable } from '@nestjs/common';
import { streams } from '@coord/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@coord/event-store';
import { foldAccount, type AccountView } from './accounts.service';

/** What sign-in needs of an account beyond AccountsService's view: the second factor and the credential version. */
export interface AccountCredentials {
  totp?: 'pending' | 'enabled';
  /** the secret in force (totp = enabled) */
  totpSecret?: string;
  /** the secret awaiting its first code (totp = pending) */
  pendingTotpSecret?: string;
  /**
   * Counts the events after which every token issued before must stop working: a password change (by the
   * user or an office reset) and the removal of a second factor (a lost device). Access tokens carry it as
   * `ver`; the guard compares it with the account's on every request.
   */
  credentialVersion: number;
}

export function foldCredentials(events: StoredEvent[]): AccountCredentials {
  let c: AccountCredentials = { credentialVersion: 0 };
  for (const e of events) {
    const secret = (e.confidential as { totpSecret?: string } | null | undefined)?.totpSecret;
    switch (e.type) {
      case 'account.password-changed':
        c = { ...c, credentialVersion: c.credentialVersion + 1 };
        break;
      case 'account.totp-enrolment-started':
        c = { ...c, totp: c.totp === 'enabled' ? 'enabled' : 'pending', pendingTotpSecret: secret };
        break;
      case 'account.totp-enabled':
        c = { credentialVersion: c.credentialVersion, totp: 'enabled', totpSecret: c.pendingTotpSecret };
        break;
      case 'account.totp-reset':
        c = { credentialVersion: c.credentialVersion + 1 };
        break;
      default:
        break;
    }
  }
  return c;
}

export interface LoadedAccount {
  view: AccountView;
  credentials: AccountCredentials;
}

/** One read of the account stream for both views (the guard calls this on every request: keep it one read). */
@Injectable()
export class AccountLoader {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async load(username: string): Promise<LoadedAccount | undefined> {
    return this.fold(await this.store.readStream(streams.account(username)));
  }

  /**
   * The account as the guard checks it on every request — active, credential version, role, agency, the
   * person for 回避 — WITHOUT its secrets: the confidential parts are not opened (no data-key lookup,
   * unwrap and decryption per request), so `view.passwordHash` is '' and no TOTP secret is set. Never
   * verify a password or a code against what this returns; sign-in uses load().
   */
  async loadWithoutSecrets(username: string): Promise<LoadedAccount | undefined> {
    return this.fold(await this.store.readStream(streams.account(username), { confidential: 'omit' }));
  }

  private fold(events: StoredEvent[]): LoadedAccount | undefined {
    if (!events.length) return undefined;
    return { view: foldAccount(events), credentials: foldCredentials(events) };
  }
}
