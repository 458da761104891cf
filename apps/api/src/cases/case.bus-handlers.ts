import { CommandHandler as BusHandler, type ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, leadAtFiling, leadDecider, streams, type CaseCommand, type LeadCommand } from '@coord/domain';
import { executeWithLedgerNumber } from '@coord/platform';
import { CommandHandler, type CommandResult } from '@coord/event-store';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { derivedId } from '../http/command-context';
import { CaseStepBusCommand, FileCaseBusCommand } from './case.bus-commands';

@BusHandler(FileCaseBusCommand)
export class FileCaseHandler implements ICommandHandler<FileCaseBusCommand, CommandResult> {
  constructor(
    private readonly handler: CommandHandler,
    private readonly agencies: AgencyDirectory,
  ) {}

  async execute({ body, meta }: FileCaseBusCommand): Promise<CommandResult> {
    await this.agencies.assertMember(body.leadAgency, 'leadAgency', body.filedOn);
    for (const [i, code] of body.coAgencies.entries()) await this.agencies.assertMember(code, `coAgencies.${i}`, body.filedOn);
    const caseId = derivedId(meta, 'case');
    // numbered in the year's case register in the same atomic append as the filing and the leads' conversion
    return executeWithLedgerNumber(this.handler, meta, { ledger: 'case', itemId: caseId, primaryStreamId: streams.case(caseId), ifMatch: meta.ifMatch }, async (caseNo, load) => {
      const leads = await Promise.all(body.leadIds.map(async (leadId) => ({ leadId, loaded: await load(leadDecider, streams.lead(leadId)) })));
      return [
        {
          decider: caseDecider,
          streamId: streams.case(caseId),
          expectedVersion: 0,
          command: {
            type: 'FileCase',
            caseId,
            caseNo,
            title: body.title,
            // leadAtFiling refuses (lead-not-found) a lead id that does not exist
            leads: leads.map(({ leadId, loaded }) => leadAtFiling(loaded.state, leadId)),
            leadAgency: body.leadAgency,
            coAgencies: body.coAgencies,
            filedOn: body.filedOn,
            major: body.major ?? false,
            difficult: body.difficult ?? false,
            ctx: meta.ctx,
          } satisfies CaseCommand,
        },
        ...leads.map(({ leadId, loaded }) => ({
          decider: leadDecider,
          streamId: streams.lead(leadId),
          expectedVersion: loaded.version,
          command: { type: 'ConvertLeadToCase', caseId, caseNo, convertedOn: body.filedOn, ctx: meta.ctx } satisfies LeadCommand,
        })),
      ];
    });
  }
}

@BusHandler(CaseStepBusCommand)
export class CaseStepHandler implements ICommandHandler<CaseStepBusCommand, CommandResult> {
  constructor(
    private readonly handler: CommandHandler,
    private readonly agencies: AgencyDirectory,
  ) {}

  async execute({ caseId, command, meta }: CaseStepBusCommand): Promise<CommandResult> {
    if (command.type === 'RecordRecovery') await this.agencies.assertMember(command.agency, 'agency', command.recoveredOn);
    if (command.type === 'TransferCaseToJudiciary') await this.agencies.assertMember(command.toAgency, 'toAgency', command.transferredOn);
    return this.handler.handle(caseDecider, streams.case(caseId), { ...command, ctx: meta.ctx } as CaseCommand, meta, { ifMatch: meta.ifMatch });
  }
}
