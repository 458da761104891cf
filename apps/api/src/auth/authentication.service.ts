import { ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '@coord/domain';
import { InputProblem } from '../http/problem-details';
import { AccountLoader } from './account-credentials';
import { TOTP_ENROLMENT_ROUTE } from './authentication.decorators';
import { OidcVerifier } from './oidc-verifier';
import { SessionService, type AccessClaims } from './session.service';

/** What authentication leaves on the request besides the actor. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  actor?: Actor;
  /** the sign-in session of a local access token (logout closes it) */
  authSessionId?: string;
  /**
   * The person behind a local account as this request's authentication read it (姓名, 工作单位), so the
   * authorization step's 回避 check does not read the account stream a second time.
   */
  authenticatedPerson?: { fullName?: string; unit?: string };
}

/**
 * AUTHENTICATION — bearer token → Actor. The guard calls this first, then does AUTHORIZATION (policy,
 * 回避) with the actor it returns. Two modes (docs/security-authentication.md):
 *  - local: our HS256 access token; the account is re-read on every request (one read of its small
 *    stream) so that a disabled account, a changed password or a removed second factor (credential
 *    version `ver`) stops its tokens at once; and the token's session must still be open (logout, refresh
 *    token reuse and password changes close sessions: one primary-key lookup).
 *  - OIDC: a JWT of the county's identity provider, verified against its JWKS (OidcVerifier).
 * Every refusal is a plain 401: a caller learns nothing about why a token was not accepted.
 */
@Injectable()
export class AuthenticationService {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly accounts: AccountLoader,
    private readonly sessions: SessionService,
    private readonly oidc: OidcVerifier,
  ) {}

  async authenticate(context: ExecutionContext): Promise<Actor> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException();
    if (this.oidc.enabled) return this.oidc.verify(match[1]);

    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(match[1]);
    } catch {
      throw new UnauthorizedException();
    }
    if (typeof claims.username !== 'string' || typeof claims.ver !== 'number') throw new UnauthorizedException();
    const account = await this.accounts.loadWithoutSecrets(claims.username);
    if (!account || !account.view.active || account.view.userId !== claims.sub) throw new UnauthorizedException();
    // a password change (or an office reset, or a removed second factor) ends every earlier token
    if (account.credentials.credentialVersion !== claims.ver) throw new UnauthorizedException();
    if (claims.scope === 'totp-enrolment') {
      const allowed = this.reflector.getAllAndOverride<boolean>(TOTP_ENROLMENT_ROUTE, [context.getHandler(), context.getClass()]);
      if (!allowed) throw new InputProblem(403, 'totp-enrolment-required', '您的角色须使用动态口令登录：请先绑定动态口令（POST /api/auth/totp/enrolment）');
    } else {
      if (typeof claims.sid !== 'string' || !(await this.sessions.isOpen(claims.sid))) throw new UnauthorizedException();
      request.authSessionId = claims.sid;
    }
    // the actor comes from the account as it is now, not from what the token said at sign-in
    const v = account.view;
    request.authenticatedPerson = { ...(v.fullName !== undefined ? { fullName: v.fullName } : {}), ...(v.unit !== undefined ? { unit: v.unit } : {}) };
    return {
      userId: v.userId,
      username: v.username,
      role: v.role,
      ...(v.agency ? { agency: v.agency } : {}),
      ...(v.role === 'leadership' && v.leadershipRole ? { leadershipRole: v.leadershipRole } : {}),
    };
  }
}
