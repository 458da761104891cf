import { streams, supervisionDecider, type SupervisionCommand } from '@coord/domain';
import type { CommandHandler, CommandMeta, CommandResult } from '@coord/event-store';
import { executeWithLedgerNumber, type LedgerNumbering } from './ledger-numbering.plan';

export type OpenSupervisionItemInput = Omit<Extract<SupervisionCommand, { type: 'OpenSupervisionItem' }>, 'type' | 'itemNo' | 'ctx'>;

/**
 * 督办立项交办: draws the next DB-<year>-NNNN number and opens the item in ONE atomic append across the
 * ledger and the item's stream (executeWithLedgerNumber: retried on a ledger conflict). Shared by
 * the HTTP command (apps/api supervision) and the meeting-decisions process manager, so both number and
 * open items the same way. `input.itemId` must be derived from the command's key when `meta` carries an
 * idempotency key, so that a repeat finds the item's stream and replays instead of opening another.
 */
export function openSupervisionItem(
  handler: CommandHandler,
  meta: CommandMeta,
  input: OpenSupervisionItemInput,
  opts: Pick<LedgerNumbering, 'ifMatch' | 'ledgerStreamOf'> = {},
): Promise<CommandResult> {
  const itemStream = streams.supervision(input.itemId);
  return executeWithLedgerNumber(
    handler,
    meta,
    { ledger: 'supervision', itemId: input.itemId, primaryStreamId: itemStream, ifMatch: opts.ifMatch, ledgerStreamOf: opts.ledgerStreamOf },
    (itemNo) => [
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
    ],
  );
}
