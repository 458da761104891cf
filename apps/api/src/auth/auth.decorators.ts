import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Actor, Role } from '@coord/domain';

export const PUBLIC_ROUTE = 'coord:public';
export const ROLES = 'coord:roles';

/** No token needed (login, health, docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Which roles may call the route. Every non-public route must declare it: the guard refuses routes without. */
export const Roles = (...roles: Exclude<Role, 'system'>[]) => SetMetadata(ROLES, roles);

export const READERS: Exclude<Role, 'system'>[] = ['office', 'agency', 'leadership', 'auditor'];
export const WRITERS: Exclude<Role, 'system'>[] = ['office', 'agency'];

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const request = ctx.switchToHttp().getRequest<{ actor?: Actor }>();
  if (!request.actor) throw new Error('CurrentActor used on a route without authentication');
  return request.actor;
});
