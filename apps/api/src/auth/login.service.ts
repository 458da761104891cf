import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@coord/platform';
import { InputProblem } from '../http/problem-details';
import { AccountLoader } from './account-credentials';
import { AuthStateStore } from './auth-state.store';
import { LoginThrottle } from './login-throttle.service';
import { DUMMY_HASH, verifyPassword } from './password-hasher';
import { SessionService, type TokenPair } from './session.service';
import { verifyTotp } from './totp';

export interface LoginResult extends Partial<TokenPair> {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  role: string;
  agency?: string;
  leadershipRole?: string;
  /** the role requires a second factor this account has not enrolled: the token only allows enrolling */
  totpEnrolmentRequired?: true;
}

const wrongCredentials = () => new InputProblem(401, 'unauthenticated', '用户名或密码不正确');

/**
 * Local sign-in: throttle → password (scrypt; a dummy hash for unknown names, so timing does not tell
 * which names exist) → second factor when enrolled → a session with an access and a refresh token.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly accounts: AccountLoader,
    private readonly throttle: LoginThrottle,
    private readonly sessions: SessionService,
    private readonly state: AuthStateStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(input: { username: string; password: string; totp?: string }, address: string): Promise<LoginResult> {
    if (this.config.auth.oidc) throw new InputProblem(403, 'local-sign-in-disabled', '本系统使用统一身份认证登录，不接受本地账号密码');
    await this.throttle.attempt(input.username, address);
    const account = await this.accounts.load(input.username);
    const passwordOk = await verifyPassword(input.password, account?.view.passwordHash ?? DUMMY_HASH);
    if (!account || !passwordOk || !account.view.active) throw wrongCredentials();

    let totpStep: number | undefined;
    if (account.credentials.totp === 'enabled' && account.credentials.totpSecret) {
      if (!input.totp) {
        // the password was right: the client now asks for the code; not a failed attempt
        await this.throttle.refund(input.username, address);
        throw new InputProblem(401, 'totp-required', '请输入动态口令', [{ field: 'totp', message: '请输入动态口令' }]);
      }
      totpStep = verifyTotp(account.credentials.totpSecret, input.totp, Date.now());
      const last = await this.state.lastTotpStep(account.view.username);
      // a code is good once (RFC 6238 §5.2): a code seen on the wire cannot open a second session
      if (totpStep === undefined || (last !== null && totpStep <= last)) {
        throw new InputProblem(401, 'totp-invalid', '动态口令不正确或已使用', [{ field: 'totp', message: '动态口令不正确或已使用' }]);
      }
    }
    await this.throttle.succeeded(input.username, address);

    const v = account.view;
    const who = { role: v.role, ...(v.agency ? { agency: v.agency } : {}), ...(v.leadershipRole ? { leadershipRole: v.leadershipRole } : {}) };
    if (this.config.auth.totpRequiredRoles.includes(v.role) && account.credentials.totp !== 'enabled') {
      return { ...(await this.sessions.enrolmentOnly(account)), ...who, totpEnrolmentRequired: true };
    }
    return { ...(await this.sessions.open(account, totpStep)), ...who };
  }
}
