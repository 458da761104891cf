import { Command } from '@nestjs/cqrs';
import type { SupervisionCommand } from '@coord/domain';
import type { CommandResult } from '@coord/event-store';
import type { HttpCommandMeta } from '../http/command-context';
import type { OpenSupervisionItemDto } from './supervision.dto';

type WithoutCtx<C> = C extends unknown ? Omit<C, 'ctx'> : never;

/** 督办立项交办: numbers the item (DB-2026-0001) and opens it in one atomic append. */
export class OpenSupervisionItemBusCommand extends Command<CommandResult> {
  constructor(
    readonly body: OpenSupervisionItemDto,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}

export class SupervisionStepBusCommand extends Command<CommandResult> {
  constructor(
    readonly itemId: string,
    readonly command: WithoutCtx<Exclude<SupervisionCommand, { type: 'OpenSupervisionItem' }>>,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}
