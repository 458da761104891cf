import { CommandHandler as BusHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  bulletinDecider,
  bulletinRegisterDecider,
  caseDecider,
  draftBulletinContent,
  issuedBulletinRef,
  nextBulletinSeq,
  refuse,
  streams,
  yearOf,
  type BulletinCommand,
  type BulletinContent,
  type BulletinRegisterCommand,
  type BulletinSectionKey,
} from '@coord/domain';
import { CommandHandler, WrongExpectedVersionError, step, type CommandResult } from '@coord/event-store';
import { BulletinSourceQuery, ProjectionRunner } from '@coord/read-models';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { derivedId } from '../http/command-context';
import { InputProblem } from '../http/problem-details';
import { BulletinStepBusCommand, DraftBulletinBusCommand, DraftBulletinCorrectionBusCommand, IssueBulletinBusCommand } from './bulletin.bus-commands';
import { DEFAULT_BULLETIN_ISSUER } from './rendering/bulletin-document';

/** How long drafting waits for the read model to reach the case's latest event (then 503, never a stale draft). */
const SOURCE_WAIT_MS = 5_000;

/**
 * Concurrent issues race for the same register version; each conflict means another bulletin took a
 * number, so re-reading and retrying is safe. Enough for every office clerk in a county at once.
 */
const ISSUE_RETRIES = 50;

const definedSections = (s: Partial<Record<BulletinSectionKey, string>> | undefined): Partial<Record<BulletinSectionKey, string>> =>
  Object.fromEntries(Object.entries(s ?? {}).filter(([, v]) => v !== undefined)) as Partial<Record<BulletinSectionKey, string>>;

@BusHandler(DraftBulletinBusCommand)
export class DraftBulletinHandler implements ICommandHandler<DraftBulletinBusCommand, CommandResult> {
  constructor(
    private readonly handler: CommandHandler,
    private readonly sources: BulletinSourceQuery,
    private readonly runner: ProjectionRunner,
    private readonly agencies: AgencyDirectory,
  ) {}

  async execute({ caseId, body, meta }: DraftBulletinBusCommand): Promise<CommandResult> {
    // Eligibility (重大/疑难) is decided on the case's own stream; the text comes from the read model,
    // once it has applied everything that stream holds — a draft never misses the latest progress report.
    const kase = await this.handler.load(caseDecider, streams.case(caseId));
    if (kase.state.status === 'none') refuse('case-not-found', '案件不存在', 'not-found');
    const state = kase.state as Exclude<typeof kase.state, { status: 'none' }>;
    const lastPosition = kase.events.length ? kase.events[kase.events.length - 1].position : 0;
    if (!(await this.runner.waitFor(lastPosition, SOURCE_WAIT_MS))) throw new InputProblem(503, 'read-model-behind', '案件素材尚未同步，请稍后重试');
    const source = await this.sources.get(caseId);
    if (!source) throw new InputProblem(503, 'read-model-behind', '案件素材尚未同步，请稍后重试');

    const names = await this.agencies.names();
    const drafted = draftBulletinContent(source, { agencyName: (code) => names[code] ?? code });
    const content: BulletinContent = {
      title: body.title ?? drafted.title,
      sections: { ...drafted.sections, ...(body.nextSteps !== undefined ? { nextSteps: body.nextSteps } : {}) },
    };
    const bulletinId = derivedId(meta, 'bulletin');
    const command: BulletinCommand = {
      type: 'DraftBulletin',
      bulletinId,
      case: { caseId, caseNo: state.caseNo, major: state.major, difficult: state.difficult, version: kase.version },
      content,
      recoveredFen: source.recoveredFen,
      ctx: meta.ctx,
    };
    return this.handler.execute(meta, async () => [step(bulletinDecider, streams.bulletin(bulletinId), command, 0)], { primaryStreamId: streams.bulletin(bulletinId) });
  }
}

@BusHandler(BulletinStepBusCommand)
export class BulletinStepHandler implements ICommandHandler<BulletinStepBusCommand, CommandResult> {
  constructor(private readonly handler: CommandHandler) {}

  async execute({ bulletinId, command, meta }: BulletinStepBusCommand): Promise<CommandResult> {
    return this.handler.handle(bulletinDecider, streams.bulletin(bulletinId), { ...command, ctx: meta.ctx } as BulletinCommand, meta, { ifMatch: meta.ifMatch });
  }
}

@BusHandler(IssueBulletinBusCommand)
export class IssueBulletinHandler implements ICommandHandler<IssueBulletinBusCommand, CommandResult> {
  constructor(private readonly handler: CommandHandler) {}

  async execute({ bulletinId, body, meta }: IssueBulletinBusCommand): Promise<CommandResult> {
    const year = yearOf(meta.ctx.today);
    const register = streams.bulletins(year);
    const stream = streams.bulletin(bulletinId);
    // If-Match guards the bulletin the clerk looked at, not the register: a register conflict (another
    // bulletin just took a number) must retry, which CommandHandler does not do when ifMatch is given.
    // So If-Match is checked here, and pinned as the bulletin step's expected version.
    if (meta.ifMatch !== undefined) {
      const actual = await this.handler.load(bulletinDecider, stream);
      if (actual.version !== meta.ifMatch) throw new WrongExpectedVersionError(stream, meta.ifMatch, actual.version);
    }
    return this.handler.execute(
      meta,
      async (load) => {
        const reg = await load(bulletinRegisterDecider, register);
        const bulletin = await load(bulletinDecider, stream);
        const seq = nextBulletinSeq(reg.state, bulletinId);
        const assign: BulletinRegisterCommand = { type: 'AssignBulletinNumber', year, bulletinId, ctx: meta.ctx };
        const issue: BulletinCommand = {
          type: 'IssueBulletin',
          year,
          seq,
          issuer: body.issuer ?? DEFAULT_BULLETIN_ISSUER,
          distribution: { mainTo: [...body.distribution.mainTo], copyTo: [...(body.distribution.copyTo ?? [])] },
          ctx: meta.ctx,
        };
        // the bulletin step is decided after the register's: a refusal (not approved) writes no number either
        return [step(bulletinRegisterDecider, register, assign, reg.version), step(bulletinDecider, stream, issue, meta.ifMatch ?? bulletin.version)];
      },
      { primaryStreamId: stream, retryOnConflict: ISSUE_RETRIES },
    );
  }
}

@BusHandler(DraftBulletinCorrectionBusCommand)
export class DraftBulletinCorrectionHandler implements ICommandHandler<DraftBulletinCorrectionBusCommand, CommandResult> {
  constructor(private readonly handler: CommandHandler) {}

  async execute({ originalId, body, meta }: DraftBulletinCorrectionBusCommand): Promise<CommandResult> {
    const bulletinId = derivedId(meta, 'bulletin-correction');
    const stream = streams.bulletin(bulletinId);
    return this.handler.execute(
      meta,
      async (load) => {
        const original = issuedBulletinRef((await load(bulletinDecider, streams.bulletin(originalId))).state);
        const sections = definedSections(body.sections);
        const content: BulletinContent | undefined =
          body.title !== undefined || Object.keys(sections).length > 0
            ? { title: body.title ?? `${original.content.title}（更正）`, sections: { ...original.content.sections, ...sections } }
            : undefined;
        const command: BulletinCommand = { type: 'DraftBulletinCorrection', bulletinId, original, reason: body.reason, ...(content ? { content } : {}), ctx: meta.ctx };
        return [step(bulletinDecider, stream, command, 0)];
      },
      { primaryStreamId: stream },
    );
  }
}
