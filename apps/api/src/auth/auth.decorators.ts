import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '@coord/domain';
import type { Action } from './authorization/policy';

export const PUBLIC_ROUTE = 'coord:public';
export const POLICY_ACTION = 'coord:policy-action';

/** No token needed (login, health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/**
 * The action of apps/api/src/auth/authorization/policy.ts this route performs; the guard decides from the
 * policy table (role × scope) and applies 回避. Every non-public route must declare one: the guard
 * refuses routes without, and test/authorization-matrix.e2e-spec.ts fails on them.
 */
export const Policy = (action: Action) => SetMetadata(POLICY_ACTION, action);

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!request.actor) throw new Error('CurrentActor used on a route without authentication');
  return request.actor;
});
