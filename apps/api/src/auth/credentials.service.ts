import { Inject, Injectable } from '@nestjs/common';
import { accountDecider, streams, type AccountCommand, type Actor } from '@coord/domain';
import { CommandHandler } from '@coord/event-store';
import { APP_CONFIG, type AppConfig } from '@coord/platform';
import type { HttpCommandMeta } from '../http/command-context';
import { InputProblem } from '../http/problem-details';
import { AccountLoader, type LoadedAccount } from './account-credentials';
import { LoginThrottle } from './login-throttle.service';
import { hashPassword, verifyPassword } from './password-hasher';
import { assertPasswordPolicy } from './password-policy';
import { SessionService } from './session.service';
import { generateTotpSecret, otpauthUri, verifyTotp } from './totp';

type AccountStep = AccountCommand extends infer C ? (C extends { ctx: unknown } ? Omit<C, 'ctx'> : never) : never;

/**
 * Changes to an account's credentials, each an event on the account stream through the account decider
 * (who may do what is the decider's rule): password change by its user, password reset by the office,
 * TOTP enrolment by its user, TOTP removal by the office. Changes that should end existing sign-ins
 * (password change or reset, removal of a second factor) close every session of the account — and raise
 * the credential version, so the access tokens already out stop working too.
 */
@Injectable()
export class CredentialsService {
  constructor(
    private readonly handler: CommandHandler,
    private readonly accounts: AccountLoader,
    private readonly sessions: SessionService,
    private readonly throttle: LoginThrottle,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private async load(username: string): Promise<LoadedAccount> {
    const account = await this.accounts.load(username);
    if (!account) throw new InputProblem(404, 'account-not-found', '用户不存在');
    return account;
  }

  private run(username: string, step: AccountStep, meta: HttpCommandMeta) {
    return this.handler.handle(accountDecider, streams.account(username), { ...step, ctx: meta.ctx } as AccountCommand, meta);
  }

  /** The user's own change: the current password is checked (and counted by the login throttle). */
  async changeOwnPassword(actor: Actor, currentPassword: string, newPassword: string, address: string, meta: HttpCommandMeta): Promise<void> {
    const account = await this.load(actor.username);
    assertPasswordPolicy(newPassword, account.view.username, 'newPassword');
    if (newPassword === currentPassword) throw new InputProblem(422, 'password-unchanged', '新密码不能与当前密码相同', [{ field: 'newPassword', message: '与当前密码相同' }]);
    // a stolen access token must not become an unthrottled oracle for the password
    await this.throttle.attempt(actor.username, address);
    if (!(await verifyPassword(currentPassword, account.view.passwordHash))) {
      throw new InputProblem(422, 'current-password-wrong', '当前密码不正确', [{ field: 'currentPassword', message: '当前密码不正确' }]);
    }
    await this.throttle.succeeded(actor.username, address);
    await this.run(actor.username, { type: 'ChangePassword', passwordHash: await hashPassword(newPassword) }, meta);
    await this.sessions.revokeAll(actor.username, 'password-changed');
  }

  /** The office sets a new password (a forgotten one, a suspected compromise). */
  async resetPassword(username: string, newPassword: string, meta: HttpCommandMeta): Promise<void> {
    const account = await this.load(username);
    assertPasswordPolicy(newPassword, account.view.username, 'newPassword');
    await this.run(username, { type: 'ChangePassword', passwordHash: await hashPassword(newPassword) }, meta);
    await this.sessions.revokeAll(username, 'password-reset');
  }

  /**
   * A new TOTP secret for the user's authenticator app, returned this once (and kept in the event's
   * confidential part). The secret returned is the stored one, so a repeat with the same Idempotency-Key
   * answers with the same secret.
   */
  async startTotpEnrolment(actor: Actor, meta: HttpCommandMeta): Promise<{ secret: string; otpauthUri: string }> {
    await this.run(actor.username, { type: 'StartTotpEnrolment', totpSecret: generateTotpSecret() }, meta);
    const secret = (await this.load(actor.username)).credentials.pendingTotpSecret;
    if (!secret) throw new InputProblem(409, 'totp-enrolment-not-started', '请先开始绑定动态口令');
    return { secret, otpauthUri: otpauthUri(this.config.auth.totpIssuer, actor.username, secret) };
  }

  /** The first code from the app proves the secret arrived: from now on sign-in needs a code. */
  async confirmTotpEnrolment(actor: Actor, code: string, meta: HttpCommandMeta): Promise<void> {
    const account = await this.load(actor.username);
    const secret = account.credentials.pendingTotpSecret;
    if (account.credentials.totp === 'pending' && secret && verifyTotp(secret, code, Date.now()) === undefined) {
      throw new InputProblem(422, 'totp-invalid', '动态口令不正确或已过期', [{ field: 'code', message: '动态口令不正确或已过期' }]);
    }
    // not pending / already enabled: the decider refuses with its own code
    await this.run(actor.username, { type: 'ConfirmTotpEnrolment' }, meta);
  }

  /** The office removes a second factor (lost phone); the user enrols again at next sign-in. */
  async resetTotp(username: string, reason: string, meta: HttpCommandMeta): Promise<void> {
    await this.load(username);
    await this.run(username, { type: 'ResetTotp', reason }, meta);
    await this.sessions.revokeAll(username, 'totp-reset');
  }
}
