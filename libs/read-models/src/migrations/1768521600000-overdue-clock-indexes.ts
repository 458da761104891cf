import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/*
 * follow_up_clocks indexes for the paged overdue query (OverdueFollowUpQuery, issue 7 target 5). The query
 * now selects, per clock (clock type + configured clock), exactly the overdue obligations as a range of
 * start dates (or of fixed due dates), counts them by kind and agency, and reads the first page in start
 * order. So the indexes lead with the clock, then the start date: each count is an index range count and
 * each page an ordered index walk that stops after offset + limit rows. For a past asOf, obligations
 * satisfied after it are a two-sided range (started before S, satisfied after asOf): one index along each
 * side, the query picks the shorter walk. Replaces the four partial indexes of 1768435200000-query-indexes.ts
 * (same names, same partial conditions) and adds the two satisfied_on ones and one for the counts.
 * Results do not change: indexes never do.
 */

const OPEN = '"satisfied_on" IS NULL';
const SATISFIED = '"satisfied_on" IS NOT NULL';

// Narrow on purpose (no ref, title): the counts walk every overdue entry of a clock (tens of thousands as
// of today), and the page reads its few dozen table rows by rowid. satisfied_on in the open ones although
// always NULL there: SQLite re-checks `satisfied_on IS NULL` even when the partial index's WHERE implies it.
const NEW_INDEXES = [
  new TableIndex({ name: 'ix_follow_up_clocks_open', columnNames: ['clock', 'clock_param', 'start_on', 'fixed_due_on', 'kind', 'agency', 'satisfied_on'], where: OPEN }),
  // the counts by kind and agency, in that order: grouped as the index is walked, without a sort of every
  // overdue entry (the start date is then a filter, but open obligations are nearly all overdue anyway)
  new TableIndex({ name: 'ix_follow_up_clocks_open_counts', columnNames: ['clock', 'clock_param', 'kind', 'agency', 'start_on', 'fixed_due_on', 'satisfied_on'], where: OPEN }),
  new TableIndex({ name: 'ix_follow_up_clocks_open_agency', columnNames: ['agency', 'clock', 'clock_param', 'start_on', 'fixed_due_on', 'kind', 'satisfied_on'], where: OPEN }),
  new TableIndex({ name: 'ix_follow_up_clocks_satisfied', columnNames: ['clock', 'clock_param', 'start_on', 'satisfied_on', 'fixed_due_on', 'kind', 'agency'], where: SATISFIED }),
  new TableIndex({ name: 'ix_follow_up_clocks_satisfied_agency', columnNames: ['agency', 'clock', 'clock_param', 'start_on', 'satisfied_on', 'fixed_due_on', 'kind'], where: SATISFIED }),
  new TableIndex({ name: 'ix_follow_up_clocks_satisfied_on', columnNames: ['clock', 'clock_param', 'satisfied_on', 'start_on', 'fixed_due_on', 'kind', 'agency'], where: SATISFIED }),
  new TableIndex({ name: 'ix_follow_up_clocks_satisfied_on_agency', columnNames: ['agency', 'clock', 'clock_param', 'satisfied_on', 'start_on', 'fixed_due_on', 'kind'], where: SATISFIED }),
];

const CLOCK_COLUMNS = ['clock_param', 'clock', 'fixed_due_on', 'kind', 'ref', 'ref_id', 'title', 'satisfied_on'];
const OLD_INDEXES = [
  new TableIndex({ name: 'ix_follow_up_clocks_open', columnNames: ['start_on', 'agency', ...CLOCK_COLUMNS], where: OPEN }),
  new TableIndex({ name: 'ix_follow_up_clocks_open_agency', columnNames: ['agency', 'start_on', ...CLOCK_COLUMNS], where: OPEN }),
  new TableIndex({ name: 'ix_follow_up_clocks_satisfied', columnNames: ['satisfied_on', 'start_on'], where: SATISFIED }),
  new TableIndex({ name: 'ix_follow_up_clocks_satisfied_agency', columnNames: ['agency', 'satisfied_on', 'start_on'], where: SATISFIED }),
];

async function replace(queryRunner: QueryRunner, drop: TableIndex[], create: TableIndex[]): Promise<void> {
  for (const index of drop) await queryRunner.dropIndex('follow_up_clocks', index.name as string);
  for (const index of create) await queryRunner.createIndex('follow_up_clocks', index);
}

export class OverdueClockIndexes1768521600000 implements MigrationInterface {
  name = 'OverdueClockIndexes1768521600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await replace(queryRunner, OLD_INDEXES, NEW_INDEXES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await replace(queryRunner, NEW_INDEXES, OLD_INDEXES);
  }
}
