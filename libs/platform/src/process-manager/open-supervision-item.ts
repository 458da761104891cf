import { ledgerDecider, nextLedgerNumber, streams, supervisionDecider, yearOf, type SupervisionCommand } from '@coord/domain';
import type { CommandHandler, CommandMeta, CommandResult } from '@coord/event-store';

export type OpenSupervisionItemInput = Omit<Extract<SupervisionCommand, { type: 'OpenSupervisionItem' }>, 'type' | 'itemNo' | 'ctx'>;

/**
 * 督办立项交办: draws the next DB-<year>-NNNN number and opens the item in ONE atomic append across the
 * ledger and the item's stream (retried on a ledger conflict: recomputing a number is safe). Shared by
 * the HTTP command (apps/api supervision) and the meeting-decisions process manager, so both number and
 * open items the same way. `input.itemId` must be derived from the command's key when `meta` carries an
 * idempotency key, so that a repeat finds the item's stream and replays instead of opening another.
 */
export function openSupervisionItem(
  handler: CommandHandler,
  meta: CommandMeta,
  input: OpenSupervisionItemInput,
  opts: { ifMatch?: number } = {},
): Promise<CommandResult> {
  const year = yearOf(meta.ctx.today);
  const ledgerStream = streams.ledger('supervision', year);
  const itemStream = streams.supervision(input.itemId);
  return handler.execute(
    meta,
    async (load) => {
      const ledger = await load(ledgerDecider, ledgerStream);
      const itemNo = nextLedgerNumber(ledger.state, 'supervision', year, input.itemId);
      return [
        { decider: ledgerDecider, streamId: ledgerStream, expectedVersion: ledger.version, command: { type: 'AssignLedgerNumber', ledger: 'supervision', year, itemId: input.itemId, ctx: meta.ctx } },
        {
          decider: supervisionDecider,
          streamId: itemStream,
          expectedVersion: 0,
          command: {
            type: 'OpenSupervisionItem',
            itemId: input.itemId,
            itemNo,
            title: input.title,
            origin: input.origin,
            assigneeAgency: input.assigneeAgency,
            dueOn: input.dueOn,
            caseId: input.caseId,
            leadId: input.leadId,
            ctx: meta.ctx,
          } satisfies SupervisionCommand,
        },
      ];
    },
    // queued per ledger in this process; retried with backoff against other processes' registrations
    { primaryStreamId: itemStream, retryOnConflict: 50, serializeOn: ledgerStream, ifMatch: opts.ifMatch },
  );
}
