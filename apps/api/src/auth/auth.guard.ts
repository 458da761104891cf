import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Actor } from '@coord/domain';
import { AccountsService } from './accounts.service';
import { PUBLIC_ROUTE } from './auth.decorators';
import { Authorizer } from './authorization/authorizer';

interface TokenClaims {
  sub: string;
  username: string;
  role: Actor['role'];
  agency?: string;
  /** 组长 / 副组长 / 阅知, for leadership accounts that have a title (older tokens lack it: treated as untitled) */
  leadershipRole?: Actor['leadershipRole'];
}

/**
 * Global guard: bearer token → actor, then authorization (the route's @Policy action against the policy
 * table, and 回避 — see authorization/authorizer.ts). A route that declares no action and is not public
 * is refused with 403 — forgetting a policy fails closed, never open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly accounts: AccountsService,
    private readonly authorizer: Authorizer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; actor?: Actor }>();
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new UnauthorizedException();
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(match[1]);
    } catch {
      throw new UnauthorizedException();
    }
    // A disabled account's tokens stop working at once, not at expiry.
    if (!(await this.accounts.isActive(claims.username))) throw new UnauthorizedException();
    request.actor = {
      userId: claims.sub,
      username: claims.username,
      role: claims.role,
      ...(claims.agency ? { agency: claims.agency } : {}),
      ...(claims.role === 'leadership' && claims.leadershipRole ? { leadershipRole: claims.leadershipRole } : {}),
    };
    request.actor = await this.authorizer.authorize(context, request.actor);
    return true;
  }
}
