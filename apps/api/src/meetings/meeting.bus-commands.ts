import { Command } from '@nestjs/cqrs';
import type { ConveneMeeting, MeetingCommand } from '@coord/domain';
import type { CommandResult } from '@coord/event-store';
import type { HttpCommandMeta } from '../http/command-context';

type WithoutCtx<C> = C extends unknown ? Omit<C, 'ctx'> : never;

/**
 * Every meeting step goes through one bus command. Convening carries no membership: the handler adds
 * the group's members as of the meeting date, so a client cannot choose whom quorum is counted against.
 */
export type MeetingStep = WithoutCtx<Exclude<MeetingCommand, ConveneMeeting>> | Omit<ConveneMeeting, 'ctx' | 'members'>;

export class MeetingBusCommand extends Command<CommandResult> {
  constructor(
    readonly meetingId: string,
    readonly command: MeetingStep,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}
