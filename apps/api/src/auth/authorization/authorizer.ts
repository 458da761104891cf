import { ForbiddenException, Injectable, NotFoundException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, type Actor } from '@coord/domain';
import { AccountsService } from '../accounts.service';
import { POLICY_ACTION } from '../auth.decorators';
import type { AuthenticatedRequest } from '../authentication.service';
import { allows, POLICY, type Action } from './policy';
import { recusalStatus, RecusalService, type PersonActor } from './recusal';

/**
 * The authorization step of the AuthGuard (token verification comes first and is not this file's
 * business): the route's declared action, the policy table, then 回避 on the lead, case or bulletin the
 * route names. A route without an action is refused — forgetting a policy fails closed, never open.
 */
@Injectable()
export class Authorizer {
  constructor(
    private readonly reflector: Reflector,
    private readonly recusal: RecusalService,
    private readonly accounts: AccountsService,
  ) {}

  /** The authorization step: the actor gains the person behind the account (for 回避), then the route is decided. */
  async authorize(context: ExecutionContext, actor: Actor): Promise<Actor> {
    // local sign-in: authentication has just read the account (in this request, so it is as current as a
    // second read would be); an OIDC actor has not been looked up yet
    const known = context.switchToHttp().getRequest<AuthenticatedRequest>().authenticatedPerson;
    const account = known ?? ((await this.accounts.find(actor.username)) as { fullName?: string; unit?: string } | undefined);
    const withPerson: PersonActor = account?.fullName && account.unit ? { ...actor, fullName: account.fullName, unit: account.unit } : actor;
    await this.authorizeRoute(context, withPerson);
    return withPerson;
  }

  actionOf(context: ExecutionContext): Action | undefined {
    const action = this.reflector.getAllAndOverride<Action | undefined>(POLICY_ACTION, [context.getHandler(), context.getClass()]);
    return action !== undefined && Object.hasOwn(POLICY, action) ? action : undefined;
  }

  async authorizeRoute(context: ExecutionContext, actor: Actor): Promise<void> {
    const action = this.actionOf(context);
    if (!action || !allows(actor.role, action)) throw new ForbiddenException();
    const policy = POLICY[action] as (typeof POLICY)[Action] & { resource?: { kind: 'lead' | 'case' | 'bulletin'; param: string } };
    if (!policy.resource) return;
    const params = context.switchToHttp().getRequest<{ params?: Record<string, string | undefined> }>().params ?? {};
    const id = params[policy.resource.param];
    if (!id || !/^[0-9a-f-]{36}$/i.test(id)) return; // the route's own ParseUUIDPipe answers a malformed id
    if (await this.recusal.implicatedIn(actor, { kind: policy.resource.kind, id })) {
      if (recusalStatus(policy.kind) === 404) throw new NotFoundException();
      throw new ForbiddenException('回避：本人涉及该案件或线索，不得办理');
    }
  }
}

/**
 * The same table for an actor that is not an HTTP request (the Kafka intake): refused as a DomainError
 * of kind 'forbidden', which the intake dead-letters like any other refusal.
 */
export function assertAllowed(actor: Actor, action: Action): void {
  if (!allows(actor.role, action)) throw new DomainError('policy-refused', `无权执行：${POLICY[action].summary}`, 'forbidden');
}
