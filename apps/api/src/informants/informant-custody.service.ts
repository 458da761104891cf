import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  activeInformantGrant,
  DomainError,
  informantCustodyDecider,
  informantGrantsDecider,
  streams,
  type Informant,
} from '@coord/domain';
import { CommandHandler, EVENT_STORE, type CommandResult, type EventStore } from '@coord/event-store';
import type { Infrastructure } from '@coord/platform';
import type { HttpCommandMeta } from '../http/command-context';
import { InputProblem } from '../http/problem-details';
import { INFRASTRUCTURE } from '../infrastructure/infrastructure.module';

const GONE_DETAIL = '该线索的举报人信息已依法销毁，无法恢复';

/**
 * The ONE place an informant's identity is ever decrypted for a person (issue 5 item 3). In order:
 * the lead exists → its informant was not erased (410) → the actor holds a live grant (403) → the
 * disclosure is recorded as an event (who, when, why) → only then is the identity read and returned.
 * Recording first means a disclosure can never happen unrecorded; a recorded view whose response was
 * lost is the safe side of that trade.
 */
@Injectable()
export class InformantCustodyService {
  constructor(
    private readonly handler: CommandHandler,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
  ) {}

  async grant(body: { username: string; leadId?: string; reason: string; until: string }, grantId: string, meta: HttpCommandMeta): Promise<CommandResult> {
    if ((await this.store.streamVersion(streams.account(body.username))) === 0) {
      throw new InputProblem(422, 'user-not-found', `用户不存在：${body.username}`, [{ field: 'username', message: '用户不存在' }]);
    }
    if (body.leadId !== undefined) await this.requireLead(body.leadId);
    return this.handler.handle(informantGrantsDecider, streams.informantGrants(), { type: 'GrantInformantAccess', grantId, ...body, ctx: meta.ctx }, meta, { retryOnConflict: 3 });
  }

  async revoke(grantId: string, reason: string, meta: HttpCommandMeta): Promise<CommandResult> {
    return this.handler.handle(informantGrantsDecider, streams.informantGrants(), { type: 'RevokeInformantAccess', grantId, reason, ctx: meta.ctx }, meta, { retryOnConflict: 3 });
  }

  async grants(today: string) {
    const { state } = await this.handler.load(informantGrantsDecider, streams.informantGrants());
    return Object.values(state.grants).map((g) => ({ ...g, active: !g.revoked && g.until >= today }));
  }

  async read(leadId: string, reason: string, meta: HttpCommandMeta): Promise<{ informant: Informant; position: number }> {
    const registered = await this.requireLead(leadId);
    const custody = await this.handler.load(informantCustodyDecider, streams.informant(leadId));
    if (custody.state.erased) throw gone();
    if (!(registered.data as { hasInformant?: boolean }).hasInformant) throw new InputProblem(404, 'no-informant', '该线索登记时未留举报人信息');
    const { state } = await this.handler.load(informantGrantsDecider, streams.informantGrants());
    const grant = activeInformantGrant(state, meta.ctx.actor.username, leadId, meta.ctx.today);
    if (!grant) throw new InputProblem(403, 'informant-grant-required', '查阅举报人信息须经办公室另一名人员专门授权（授权不存在、已撤销或已过期）');
    let recorded: CommandResult;
    try {
      recorded = await this.handler.handle(
        informantCustodyDecider,
        streams.informant(leadId),
        { type: 'RecordInformantView', leadId, grantId: grant.grantId, reason, ctx: meta.ctx },
        // a view is a fresh disclosure each time: never answered from an earlier one by Idempotency-Key
        { ...meta, idempotencyKeyGiven: false },
        { retryOnConflict: 3 },
      );
    } catch (e) {
      if (e instanceof DomainError && e.code === 'informant-erased') throw gone();
      throw e;
    }
    // the lead stream's read path opens (decrypts) the confidential part; absent after crypto-shredding
    const [event] = await this.store.readStream(streams.lead(leadId), { toVersion: 1 });
    const informant = (event?.confidential as { informant?: Informant } | undefined)?.informant;
    if (!informant) throw gone();
    return { informant, position: recorded.position };
  }

  /**
   * Crypto-shredding. The erasure event is appended first (who, when, why — without any key), then the
   * key is destroyed. Should the process die between the two, the lead already reads as erased (410)
   * and repeating the request destroys the key (the decider refuses the repeat; the key is shredded
   * anyway before the refusal is returned).
   */
  async erase(leadId: string, reason: string, meta: HttpCommandMeta): Promise<CommandResult> {
    const registered = await this.requireLead(leadId);
    if (!(registered.data as { hasInformant?: boolean }).hasInformant) throw new InputProblem(404, 'no-informant', '该线索登记时未留举报人信息');
    try {
      const result = await this.handler.handle(informantCustodyDecider, streams.informant(leadId), { type: 'EraseInformant', leadId, reason, ctx: meta.ctx }, meta, { retryOnConflict: 3 });
      await this.infra.vault.erase(streams.lead(leadId));
      return result;
    } catch (e) {
      if (e instanceof DomainError && e.code === 'informant-erased') await this.infra.vault.erase(streams.lead(leadId));
      throw e;
    }
  }

  private async requireLead(leadId: string) {
    // the registration is the first event of the lead's stream (stream reads, not the lagging read model)
    const [registered] = await this.store.readStream(streams.lead(leadId), { toVersion: 1 });
    if (!registered || registered.type !== 'lead.registered') throw new NotFoundException();
    return registered;
  }
}

const gone = () => new InputProblem(410, 'informant-erased', GONE_DETAIL);

