import { Command } from '@nestjs/cqrs';
import type { LeadCommand } from '@coord/domain';
import type { CommandResult } from '@coord/event-store';
import type { HttpCommandMeta } from '../http/command-context';
import type { RegisterLeadDto } from './lead.dto';

type WithoutCtx<C> = C extends unknown ? Omit<C, 'ctx'> : never;

/** 登记线索: takes the next per-year ledger number and registers the lead in one atomic append. */
export class RegisterLeadBusCommand extends Command<CommandResult> {
  constructor(
    readonly body: RegisterLeadDto,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}

/** Any other step on one lead's stream (transfer, acknowledge, accept, return, forward, disposition). */
export class LeadStepBusCommand extends Command<CommandResult> {
  constructor(
    readonly leadId: string,
    readonly command: WithoutCtx<Exclude<LeadCommand, { type: 'RegisterLead' | 'ConvertLeadToCase' }>>,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}
