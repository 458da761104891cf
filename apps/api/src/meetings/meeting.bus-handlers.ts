import { Inject } from '@nestjs/common';
import { CommandHandler as BusHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, meetingDecider, streams, type MeetingCommand } from '@coord/domain';
import { CommandHandler, EVENT_STORE, type CommandResult, type EventStore } from '@coord/event-store';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { MeetingBusCommand } from './meeting.bus-commands';

/** Thin: adds what the pure decider cannot look up (membership on a date, whether a lead exists), then delegates. */
@BusHandler(MeetingBusCommand)
export class MeetingStepHandler implements ICommandHandler<MeetingBusCommand, CommandResult> {
  constructor(
    private readonly handler: CommandHandler,
    private readonly agencies: AgencyDirectory,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async execute({ meetingId, command, meta }: MeetingBusCommand): Promise<CommandResult> {
    const { today } = meta.ctx;
    let full: MeetingCommand;
    switch (command.type) {
      case 'ConveneMeeting': {
        // attendance is recorded against the membership ON the meeting date (not today's)
        const members = (await this.agencies.membersOn(command.heldOn)).map((m) => ({ agency: m.agency, groupRole: m.groupRole }));
        full = { ...command, members, ctx: meta.ctx };
        break;
      }
      case 'SubmitMeetingTopic':
        await this.agencies.assertMember(command.agency, 'agency', today);
        full = { ...command, ctx: meta.ctx };
        break;
      case 'BriefLeadAtMeeting':
        if ((await this.store.streamVersion(streams.lead(command.leadId))) === 0) throw new DomainError('lead-not-found', '通报的线索不存在', 'invalid', 'leadId');
        full = { ...command, ctx: meta.ctx };
        break;
      case 'ProposeMeetingDecision':
        for (const [i, a] of command.actionItems.entries()) await this.agencies.assertMember(a.assigneeAgency, `actionItems.${i}.assigneeAgency`, today);
        full = { ...command, ctx: meta.ctx };
        break;
      default:
        full = { ...command, ctx: meta.ctx } as MeetingCommand;
    }
    return this.handler.handle(meetingDecider, streams.meeting(meetingId), full, meta, { ifMatch: meta.ifMatch });
  }
}
