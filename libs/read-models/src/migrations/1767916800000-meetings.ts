import { type MigrationInterface, type QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';

// Portable (SQLite and PostgreSQL) like the initial migration; simple-json columns are text.
const str = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', isNullable: nullable });
const txt = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const int = (name: string): TableColumnOptions => ({ name, type: 'integer', isNullable: false });
const big = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false });
const pk = (name: string): TableColumnOptions => ({ name, type: 'varchar', isPrimary: true, isNullable: false });

/** The meeting register (联席会议) and the process managers' checkpoints. */
export class Meetings1767916800000 implements MigrationInterface {
  name = 'Meetings1767916800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'meeting_register',
        columns: [
          pk('meeting_id'), str('kind'), str('title'), str('half_year', true), str('scheduled_on'), str('topic_cutoff_on'), str('status'),
          str('held_on', true), txt('attendees'), txt('expected_members'), str('principal_leader', true), txt('topics'), int('late_topic_count'),
          txt('briefed_leads'), txt('decisions'), int('passed_decision_count'), txt('minutes', true), str('minutes_recorded_on', true),
          str('closed_on', true), big('scheduled_position'), int('version'),
        ],
        indices: [
          new TableIndex({ name: 'ix_meeting_register_scheduled', columnNames: ['scheduled_on'] }),
          new TableIndex({ name: 'ix_meeting_register_half_year', columnNames: ['half_year'] }),
        ],
      }),
      true,
    );
    await queryRunner.createTable(new Table({ name: 'process_manager_checkpoints', columns: [pk('name'), big('position')] }), true);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('process_manager_checkpoints', true);
    await queryRunner.dropTable('meeting_register', true);
  }
}
