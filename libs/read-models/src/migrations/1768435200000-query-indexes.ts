import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/*
 * Indexes for the read paths measured by bench:queries (issue 7, target 5: p99 < 20 ms at 1,000,000 events,
 * about 100,000 leads). Each replaces a plan that visited table rows per candidate with one that reads an
 * index only, or visits far fewer rows. Results do not change: indexes never do, and the query changes that
 * go with them (lead.query.ts, overdue-follow-up.query.ts) select the same rows.
 *
 * lead_register (线索台账, GET /api/leads):
 *  - status / holder / source: the filter column, then registered_position (so "filter, newest first, LIMIT"
 *    is still an ordered index walk), then the other two filter columns and lead_id. Two filters together,
 *    the page's total (COUNT) and the agency-scope probe (which needs lead_id) are then answered from the
 *    index without a table row per candidate.
 *  - position: (registered_position, lead_id), for the same reason on unfiltered and scoped pages.
 *  - TRIM(subject_name): 回避 (RecusalService.hiddenFrom) looks up every lead naming the reader on each list
 *    request with `TRIM(subject_name) = ?` — a full table scan without an index on that same expression.
 *    Expression indexes are not expressible through TableIndex: written as SQL, valid in both databases.
 * recovered_losses (挽回经济损失):
 *  - on: + year, quarter, so the period totals by year and by quarter are covered too;
 *  - case: (case_id, amount_fen): the all-time grand total (SUM, COUNT DISTINCT case) from a narrow index;
 *  - year: (year, case_id, amount_fen): all-time totals by year without a GROUP BY sort.
 * follow_up_clocks (逾期事项): the query reads obligations open today (satisfied_on IS NULL) and, for a past
 * asOf, those satisfied after it, as two statements.
 *  - open / open_agency: PARTIAL indexes over the open obligations only (a small share of the table),
 *    carrying every column the query returns — the open part is an index-only range read.
 *  - satisfied / satisfied_agency: the old (satisfied_on, start_on) and (agency, satisfied_on) restricted to
 *    satisfied rows, so the planner cannot prefer them (and their table lookups) for the open part.
 */

const LEAD_INDEXES = [
  new TableIndex({ name: 'ix_lead_register_status', columnNames: ['status', 'registered_position', 'holder_agency', 'source', 'lead_id'] }),
  new TableIndex({ name: 'ix_lead_register_holder', columnNames: ['holder_agency', 'registered_position', 'status', 'source', 'lead_id'] }),
  new TableIndex({ name: 'ix_lead_register_source', columnNames: ['source', 'registered_position', 'status', 'holder_agency', 'lead_id'] }),
  new TableIndex({ name: 'ix_lead_register_position', columnNames: ['registered_position', 'lead_id'] }),
];
const OLD_LEAD_INDEXES = [
  new TableIndex({ name: 'ix_lead_register_status', columnNames: ['status', 'registered_position'] }),
  new TableIndex({ name: 'ix_lead_register_holder', columnNames: ['holder_agency', 'registered_position'] }),
  new TableIndex({ name: 'ix_lead_register_source', columnNames: ['source', 'registered_position'] }),
  new TableIndex({ name: 'ix_lead_register_position', columnNames: ['registered_position'] }),
];

const LOSS_INDEXES = [
  new TableIndex({ name: 'ix_recovered_losses_on', columnNames: ['recovered_on', 'agency', 'category', 'case_id', 'amount_fen', 'year', 'quarter'] }),
  new TableIndex({ name: 'ix_recovered_losses_case', columnNames: ['case_id', 'amount_fen'] }),
  new TableIndex({ name: 'ix_recovered_losses_year', columnNames: ['year', 'case_id', 'amount_fen'] }),
];
const OLD_LOSS_INDEXES = [
  new TableIndex({ name: 'ix_recovered_losses_on', columnNames: ['recovered_on', 'agency', 'category', 'case_id', 'amount_fen'] }),
  new TableIndex({ name: 'ix_recovered_losses_case', columnNames: ['case_id'] }),
];

const OPEN = '"satisfied_on" IS NULL';
const SATISFIED = '"satisfied_on" IS NOT NULL';
// satisfied_on too, although always NULL in these indexes: SQLite re-checks `satisfied_on IS NULL` on the
// row even when the partial index's own WHERE implies it, so without the column the read is not index-only
const CLOCK_COLUMNS = ['clock_param', 'clock', 'fixed_due_on', 'kind', 'ref', 'ref_id', 'title', 'satisfied_on'];
const CLOCK_INDEXES = [
  new TableIndex({ name: 'ix_follow_up_clocks_open', columnNames: ['start_on', 'agency', ...CLOCK_COLUMNS], where: OPEN }),
  new TableIndex({ name: 'ix_follow_up_clocks_open_agency', columnNames: ['agency', 'start_on', ...CLOCK_COLUMNS], where: OPEN }),
  new TableIndex({ name: 'ix_follow_up_clocks_satisfied', columnNames: ['satisfied_on', 'start_on'], where: SATISFIED }),
  new TableIndex({ name: 'ix_follow_up_clocks_satisfied_agency', columnNames: ['agency', 'satisfied_on', 'start_on'], where: SATISFIED }),
];
const OLD_CLOCK_INDEXES = [
  new TableIndex({ name: 'ix_follow_up_clocks_open', columnNames: ['satisfied_on', 'start_on'] }),
  new TableIndex({ name: 'ix_follow_up_clocks_agency', columnNames: ['agency', 'satisfied_on'] }),
];

const SUBJECT_INDEX = 'ix_lead_register_subject_name';

/** A table's name as raw SQL needs it: schema-qualified on PostgreSQL when the DataSource has a schema. */
function tablePath(queryRunner: QueryRunner, table: string): string {
  const schema = queryRunner.connection.driver.options.type === 'postgres' ? (queryRunner.connection.options as { schema?: string }).schema : undefined;
  return schema ? `"${schema}"."${table}"` : `"${table}"`;
}

async function replace(queryRunner: QueryRunner, table: string, drop: TableIndex[], create: TableIndex[]): Promise<void> {
  for (const index of drop) await queryRunner.dropIndex(table, index.name as string);
  for (const index of create) await queryRunner.createIndex(table, index);
}

export class QueryIndexes1768435200000 implements MigrationInterface {
  name = 'QueryIndexes1768435200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await replace(queryRunner, 'lead_register', OLD_LEAD_INDEXES, LEAD_INDEXES);
    // the same expression as the query (TRIM), so both planners match it
    await queryRunner.query(`CREATE INDEX "${SUBJECT_INDEX}" ON ${tablePath(queryRunner, 'lead_register')} ((TRIM("subject_name")))`);
    await replace(queryRunner, 'recovered_losses', OLD_LOSS_INDEXES, LOSS_INDEXES);
    await replace(queryRunner, 'follow_up_clocks', OLD_CLOCK_INDEXES, CLOCK_INDEXES);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await replace(queryRunner, 'follow_up_clocks', CLOCK_INDEXES, OLD_CLOCK_INDEXES);
    await replace(queryRunner, 'recovered_losses', LOSS_INDEXES, OLD_LOSS_INDEXES);
    const schema = queryRunner.connection.driver.options.type === 'postgres' ? (queryRunner.connection.options as { schema?: string }).schema : undefined;
    await queryRunner.query(`DROP INDEX ${schema ? `"${schema}".` : ''}"${SUBJECT_INDEX}"`);
    await replace(queryRunner, 'lead_register', LEAD_INDEXES, OLD_LEAD_INDEXES);
  }
}
