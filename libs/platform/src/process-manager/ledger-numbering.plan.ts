import { ledgerDecider, nextLedgerNumber, streams, yearOf, type LedgerKind } from '@coord/domain';
import type { CommandHandler, CommandMeta, CommandResult, Step, StreamLoader } from '@coord/event-store';

export interface LedgerNumbering {
  /** the register (台账) that numbers the new item */
  ledger: LedgerKind;
  /** the new item's id: the number is assigned to it, so a re-run of the plan finds the same number */
  itemId: string;
  /** the new item's stream: the result's version, If-Match and the idempotent replay refer to it */
  primaryStreamId: string;
  ifMatch?: number;
  /**
   * The register's stream for a year. Default `streams.ledger`: one register per kind and year, as a
   * deployment (one county's group) has. bench/province.bench.ts gives each simulated county its own.
   */
  ledgerStreamOf?: (kind: LedgerKind, year: number) => string;
}

/** The steps that create the numbered item; they run after the ledger step, in the order returned. */
export type NumberedItemSteps = (number: string, load: StreamLoader) => Promise<readonly Step[]> | readonly Step[];

/**
 * 台账编号: draws the next number of the year's register and creates the item carrying it in ONE atomic
 * append (the ledger's AssignLedgerNumber first, then `itemSteps(number)`), with the ledger's expected
 * version. The one plan behind registering a lead, filing a case and opening a supervision item, so all
 * three number the same way (gapless, no number shared).
 *
 * The year is the one the item is entered in the register (登记年度: the command's business day).
 * Commands on the same ledger run one at a time in this process (serializeOn) and retry with a fresh
 * read on a conflict with another process: recomputing a number is safe, the user did not choose it.
 * With `ifMatch` there is no retry (the generic handler's rule). Domain errors from the ledger or the
 * item's deciders (and from `itemSteps`) propagate unchanged.
 */
export function executeWithLedgerNumber(
  handler: CommandHandler,
  meta: CommandMeta,
  numbering: LedgerNumbering,
  itemSteps: NumberedItemSteps,
): Promise<CommandResult> {
  const { ledger: kind, itemId } = numbering;
  const year = yearOf(meta.ctx.today);
  const ledgerStream = (numbering.ledgerStreamOf ?? streams.ledger)(kind, year);
  return handler.execute(
    meta,
    async (load) => {
      const ledger = await load(ledgerDecider, ledgerStream);
      const number = nextLedgerNumber(ledger.state, kind, year, itemId);
      return [
        { decider: ledgerDecider, streamId: ledgerStream, expectedVersion: ledger.version, command: { type: 'AssignLedgerNumber', ledger: kind, year, itemId, ctx: meta.ctx } },
        ...(await itemSteps(number, load)),
      ];
    },
    { primaryStreamId: numbering.primaryStreamId, retryOnConflict: 50, serializeOn: ledgerStream, ifMatch: numbering.ifMatch },
  );
}
