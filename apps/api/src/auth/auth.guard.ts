import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '@coord/domain';
import { AuthenticationService } from './authentication.service';
import { PUBLIC_ROUTE } from './auth.decorators';
import { Authorizer } from './authorization/authorizer';

/**
 * Global guard: bearer token → actor, then authorization (the route's @Policy action against the policy
 * table, and 回避 — see authorization/authorizer.ts). A route that declares no action and is not public
 * is refused with 403 — forgetting a policy fails closed, never open.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: AuthenticationService,
    private readonly authorizer: Authorizer,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<{ actor?: Actor }>();
    // AUTHENTICATION (token → actor: local or OIDC, sessions, credential version) is AuthenticationService's
    request.actor = await this.authentication.authenticate(context);
    request.actor = await this.authorizer.authorize(context, request.actor);
    return true;
  }
}
