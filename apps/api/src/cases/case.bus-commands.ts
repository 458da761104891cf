import { Command } from '@nestjs/cqrs';
import type { CaseCommand } from '@coord/domain';
import type { CommandResult } from '@coord/event-store';
import type { HttpCommandMeta } from '../http/command-context';
import type { FileCaseDto } from './case.dto';

type WithoutCtx<C> = C extends unknown ? Omit<C, 'ctx'> : never;

/** 立案: numbers the case, files it, and marks each lead converted — one atomic append across streams. */
export class FileCaseBusCommand extends Command<CommandResult> {
  constructor(
    readonly body: FileCaseDto,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}

export class CaseStepBusCommand extends Command<CommandResult> {
  constructor(
    readonly caseId: string,
    readonly command: WithoutCtx<Exclude<CaseCommand, { type: 'FileCase' }>>,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}
