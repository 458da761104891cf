import { Command } from '@nestjs/cqrs';
import type { ApproveBulletin, ReviseBulletinDraft } from '@coord/domain';
import type { CommandResult } from '@coord/event-store';
import type { HttpCommandMeta } from '../http/command-context';
import type { CorrectBulletinDto, DraftBulletinDto, IssueBulletinDto } from './bulletin.dto';

type WithoutCtx<C> = C extends unknown ? Omit<C, 'ctx'> : never;

/** 拟稿: assembles the text from the case's 《案情专报》 sources and drafts a new bulletin. */
export class DraftBulletinBusCommand extends Command<CommandResult> {
  constructor(
    readonly caseId: string,
    readonly body: DraftBulletinDto,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}

/** Edit or sign a bulletin: one command on its own stream. */
export class BulletinStepBusCommand extends Command<CommandResult> {
  constructor(
    readonly bulletinId: string,
    readonly command: WithoutCtx<ReviseBulletinDraft | ApproveBulletin>,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}

/** 印发: the next number of the year's register and the issue, in one atomic append. */
export class IssueBulletinBusCommand extends Command<CommandResult> {
  constructor(
    readonly bulletinId: string,
    readonly body: IssueBulletinDto,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}

/** 更正: a new bulletin referring to the issued one. */
export class DraftBulletinCorrectionBusCommand extends Command<CommandResult> {
  constructor(
    readonly originalId: string,
    readonly body: CorrectBulletinDto,
    readonly meta: HttpCommandMeta,
  ) {
    super();
  }
}
