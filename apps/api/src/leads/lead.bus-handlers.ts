import { CommandHandler as BusHandler, type ICommandHandler } from '@nestjs/cqrs';
import { leadDecider, ledgerDecider, nextLedgerNumber, streams, type LeadCommand, yearOf } from '@coord/domain';
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
    // Ledgers are numbered by the year the lead is entered in the register (登记年度).
    const year = yearOf(meta.ctx.today);
    const ledgerStream = streams.ledger('lead', year);
    return this.handler.execute(
      meta,
      async (load) => {
        const ledger = await load(ledgerDecider, ledgerStream);
        const ledgerNo = nextLedgerNumber(ledger.state, 'lead', year, leadId);
        return [
          { decider: ledgerDecider, streamId: ledgerStream, expectedVersion: ledger.version, command: { type: 'AssignLedgerNumber', ledger: 'lead', year, itemId: leadId, ctx: meta.ctx } },
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
        ];
      },
      // concurrent registrations race for the same ledger number: re-reading the ledger and retrying is safe
      { primaryStreamId: streams.lead(leadId), retryOnConflict: 50, serializeOn: ledgerStream, ifMatch: meta.ifMatch },
    );
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
