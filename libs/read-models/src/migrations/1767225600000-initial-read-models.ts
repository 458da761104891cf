import { type MigrationInterface, type QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';

/*
 * Written with TypeORM's Table/TableIndex API, not SQL strings, so the same migration runs on SQLite
 * (better-sqlite3) and PostgreSQL. Types are the portable subset: varchar (unbounded), text, integer,
 * bigint (money in fen, log positions), boolean; simple-json columns are text. Must match the entities.
 */
const str = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', isNullable: nullable });
const txt = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer', isNullable: false });
const big = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false });
const bool = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'boolean', isNullable: nullable });
const pk = (name: string): TableColumnOptions => ({ name, type: 'varchar', isPrimary: true, isNullable: false });
const ix = (name: string, columnNames: string[], isUnique = false) => new TableIndex({ name, columnNames, isUnique });

const TABLES: Table[] = [
  new Table({ name: 'projection_checkpoints', columns: [pk('name'), big('position')] }),
  new Table({
    name: 'lead_register',
    columns: [
      pk('lead_id'), str('ledger_no'), int('year'), str('source'), str('reporting_agency'), str('holder_agency'),
      str('status'), str('subject_name'), str('subject_post'), str('subject_unit'), str('subject_rank', true),
      txt('allegation'), str('category', true), str('received_on'), bool('important'), bool('has_informant'),
      str('pending_transfer_id', true), str('pending_from_agency', true), str('pending_to_agency', true),
      bool('pending_acknowledged', true), int('transfer_count'), str('disposition_method', true),
      str('disposition_decided_on', true), str('disposition_concluded_on', true), str('case_id', true),
      str('case_no', true), big('registered_position'), int('version'), big('last_position'),
    ],
    indices: [
      ix('ix_lead_register_status', ['status', 'registered_position']),
      ix('ix_lead_register_holder', ['holder_agency', 'registered_position']),
      ix('ix_lead_register_source', ['source', 'registered_position']),
      ix('ix_lead_register_position', ['registered_position']),
      ix('ix_lead_register_ledger_no', ['ledger_no']),
    ],
  }),
  new Table({
    name: 'lead_access',
    columns: [pk('access_key'), str('lead_id'), str('agency'), str('via'), big('since_position')],
    indices: [ix('ix_lead_access_agency', ['agency', 'lead_id'], true), ix('ix_lead_access_lead', ['lead_id'])],
  }),
  new Table({
    name: 'case_register',
    columns: [
      pk('case_id'), str('case_no'), int('year'), str('title'), str('lead_agency'), txt('co_agencies'),
      txt('lead_ids'), txt('subject_names'), bool('major'), bool('difficult'), str('status'), str('filed_on'),
      str('closed_on', true), str('last_progress_on', true), str('last_stage', true), big('recovered_fen'),
      str('judicial_transfer_on', true), int('sanction_count'), big('filed_position'), int('version'),
      big('last_position'),
    ],
    indices: [
      ix('ix_case_register_status', ['status', 'filed_position']),
      ix('ix_case_register_lead_agency', ['lead_agency', 'filed_position']),
      ix('ix_case_register_position', ['filed_position']),
      ix('ix_case_register_flags', ['major', 'difficult']),
    ],
  }),
  new Table({
    name: 'case_access',
    columns: [pk('access_key'), str('case_id'), str('agency'), str('role'), big('since_position')],
    indices: [ix('ix_case_access_agency', ['agency', 'case_id'], true), ix('ix_case_access_case', ['case_id'])],
  }),
  new Table({
    name: 'supervision_board',
    columns: [
      pk('item_id'), str('item_no'), str('title'), str('origin'), str('assignee_agency'), str('due_on'), str('status'),
      str('pending_extension_request_id', true), str('pending_extension_due_on', true), int('extension_count'),
      str('last_progress_on', true), txt('result_summary', true), str('result_reported_on', true),
      int('sent_back_count'), str('case_id', true), str('lead_id', true), str('opened_on'), str('closed_on', true),
      big('opened_position'), int('version'),
    ],
    indices: [
      ix('ix_supervision_board_status', ['status', 'due_on']),
      ix('ix_supervision_board_assignee', ['assignee_agency', 'due_on']),
      ix('ix_supervision_board_position', ['opened_position']),
    ],
  }),
  new Table({
    name: 'recovered_losses',
    columns: [
      pk('entry_id'), str('kind'), str('case_id'), str('recovery_id'), str('agency'), str('category'),
      big('amount_fen'), str('recovered_on'), int('year'), int('quarter'), str('booked_on'), big('position'),
    ],
    indices: [
      // covering index for the totals query: date range scan without touching the table
      ix('ix_recovered_losses_on', ['recovered_on', 'agency', 'category', 'case_id', 'amount_fen']),
      ix('ix_recovered_losses_case', ['case_id']),
      ix('ix_recovered_losses_agency', ['agency', 'recovered_on']),
    ],
  }),
  new Table({
    name: 'follow_up_clocks',
    columns: [
      pk('obligation_id'), str('kind'), str('ref_id'), str('ref'), str('agency'), str('title'), str('start_on'),
      str('clock'), str('clock_param', true), str('fixed_due_on', true), str('satisfied_on', true),
      str('satisfied_by', true), big('opened_position'),
    ],
    indices: [
      ix('ix_follow_up_clocks_open', ['satisfied_on', 'start_on']),
      ix('ix_follow_up_clocks_agency', ['agency', 'satisfied_on']),
      ix('ix_follow_up_clocks_param', ['clock_param', 'start_on']),
    ],
  }),
  new Table({
    name: 'case_bulletin_sources',
    columns: [
      pk('case_id'), str('case_no'), str('title'), str('lead_agency'), txt('co_agencies'), bool('major'),
      bool('difficult'), str('status'), str('filed_on'), str('closed_on', true), txt('closing_summary', true),
      txt('subjects'), txt('leads'), txt('progress'), txt('sanctions'), txt('judicial_transfer', true),
      txt('court_result', true), big('recovered_fen'), txt('recovered_by_category'), int('version'),
      big('last_position'),
    ],
    indices: [ix('ix_case_bulletin_sources_flags', ['major', 'difficult', 'filed_on'])],
  }),
];

export class InitialReadModels1767225600000 implements MigrationInterface {
  name = 'InitialReadModels1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.createTable(table, false, false, true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await queryRunner.dropTable(table.name, true, false, true);
  }
}
