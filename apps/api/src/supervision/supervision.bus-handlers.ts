import { Inject } from '@nestjs/common';
import { CommandHandler as BusHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, streams, supervisionDecider, type SupervisionCommand } from '@coord/domain';
import { openSupervisionItem } from '@coord/platform';
import { CommandHandler, EVENT_STORE, type CommandResult, type EventStore } from '@coord/event-store';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { derivedId } from '../http/command-context';
import { OpenSupervisionItemBusCommand, SupervisionStepBusCommand } from './supervision.bus-commands';

@BusHandler(OpenSupervisionItemBusCommand)
export class OpenSupervisionItemHandler implements ICommandHandler<OpenSupervisionItemBusCommand, CommandResult> {
  constructor(
    private readonly handler: CommandHandler,
    private readonly agencies: AgencyDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ body, meta }: OpenSupervisionItemBusCommand): Promise<CommandResult> {
    await this.agencies.assertMember(body.assigneeAgency, 'assigneeAgency', meta.ctx.today);
    if (body.caseId && (await this.store.streamVersion(streams.case(body.caseId))) === 0) {
      throw new DomainError('case-not-found', '关联的案件不存在', 'invalid', 'caseId');
    }
    if (body.leadId && (await this.store.streamVersion(streams.lead(body.leadId))) === 0) {
      throw new DomainError('lead-not-found', '关联的线索不存在', 'invalid', 'leadId');
    }
    const itemId = derivedId(meta, 'supervision-item');
    // numbering + opening shared with the meeting-decisions process manager (libs/platform)
    return openSupervisionItem(this.handler, meta, {
      itemId,
      title: body.title,
      origin: body.origin,
      assigneeAgency: body.assigneeAgency,
      dueOn: body.dueOn,
      caseId: body.caseId,
      leadId: body.leadId,
    }, { ifMatch: meta.ifMatch });
  }
}

@BusHandler(SupervisionStepBusCommand)
export class SupervisionStepHandler implements ICommandHandler<SupervisionStepBusCommand, CommandResult> {
  constructor(private readonly handler: CommandHandler) {}

  execute({ itemId, command, meta }: SupervisionStepBusCommand): Promise<CommandResult> {
    return this.handler.handle(supervisionDecider, streams.supervision(itemId), { ...command, ctx: meta.ctx } as SupervisionCommand, meta, { ifMatch: meta.ifMatch });
  }
}
