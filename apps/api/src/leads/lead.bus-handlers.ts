import { CommandHandler as BusHandler, type ICommandHandler } from '@nestjs/cqrs';
import { leadDecider, streams, type LeadCommand } from '@coord/domain';
import { executeWithLedgerNumber } from '@coord/platform';
import { CommandHandler, type CommandResult } from '@coord/event-store';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { derivedId } from '../http/command-context';
import { LeadStepBusCommand, RegisterLeadBusCommand } from './lead.bus-commands';

@BusHandler(RegisterLeadBusCommand)
export class RegisterLeadHandler implements ICommandHandler<RegisterLeadBusCommand, CommandResult> {
  constructor(
    private readonly handler: CommandHandler,
    private readonly agencies: AgencyDirectory,
  ) {}

  async execute({ body, meta }: RegisterLeadBusCommand): Promise<CommandResult> {
    await this.agencies.assertMember(body.reportingAgency, 'reportingAgency', meta.ctx.today);
    const leadId = derivedId(meta, 'lead');
    // numbered in the year's lead register (登记年度) in the same atomic append as the registration
    return executeWithLedgerNumber(this.handler, meta, { ledger: 'lead', itemId: leadId, primaryStreamId: streams.lead(leadId), ifMatch: meta.ifMatch }, (ledgerNo) => [
      {
        decider: leadDecider,
        streamId: streams.lead(leadId),
        expectedVersion: 0,
        command: {
          type: 'RegisterLead',
          leadId,
          ledgerNo,
          source: body.source,
          reportingAgency: body.reportingAgency,
          subject: { ...body.subject },
          allegation: body.allegation,
          category: body.category,
          receivedOn: body.receivedOn,
          important: body.important ?? false,
          informant: body.informant ? { name: body.informant.name, contact: body.informant.contact } : undefined,
          ctx: meta.ctx,
        } satisfies LeadCommand,
      },
    ]);
  }
}

@BusHandler(LeadStepBusCommand)
export class LeadStepHandler implements ICommandHandler<LeadStepBusCommand, CommandResult> {
  constructor(
    private readonly handler: CommandHandler,
    private readonly agencies: AgencyDirectory,
  ) {}

  async execute({ leadId, command, meta }: LeadStepBusCommand): Promise<CommandResult> {
    if ('toAgency' in command) await this.agencies.assertMember(command.toAgency, 'toAgency', meta.ctx.today);
    return this.handler.handle(leadDecider, streams.lead(leadId), { ...command, ctx: meta.ctx } as LeadCommand, meta, { ifMatch: meta.ifMatch });
  }
}
