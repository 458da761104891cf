import { type MigrationInterface, type QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';

/*
 * The reminder scheduler's deadlines, the notification feed and the half-years with a regular meeting.
 * Portable Table API (SQLite and PostgreSQL), like the initial migration; must match the entities.
 */
const str = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', isNullable: nullable });
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
const big = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false });
const pk = (name: string): TableColumnOptions => ({ name, type: 'varchar', isPrimary: true, isNullable: false });
const ix = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames });

const TABLES: Table[] = [
  new Table({
    name: 'reminder_deadlines',
    columns: [
      pk('deadline_id'), str('kind'), str('stream_id'), str('ref_id'), str('transfer_id', true), str('method', true), str('agency'),
      str('start_on'), str('clock_param', true), str('fixed_due_on', true), str('closed_on', true), str('last_step', true),
      str('last_step_due_on', true), big('updated_position'),
    ],
    indices: [ix('ix_reminder_deadlines_open', ['closed_on', 'kind'])],
  }),
  new Table({
    name: 'notifications',
    columns: [
      pk('notification_id'), str('kind'), str('subject'), str('ref_id'), str('ref'), str('agency'), str('title'), str('step'),
      int('level', true), str('to_role', true), str('due_on'), int('days_overdue', true), str('created_on'), big('position'),
    ],
    indices: [ix('ix_notifications_agency', ['agency', 'position']), ix('ix_notifications_kind', ['kind', 'position']), ix('ix_notifications_position', ['position'])],
  }),
  new Table({ name: 'regular_meeting_half_years', columns: [pk('half_year'), str('first_held_on'), int('meeting_count'), big('last_position')] }),
];

export class RemindersNotifications1767830400000 implements MigrationInterface {
  name = 'RemindersNotifications1767830400000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.createTable(table, true);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [...TABLES].reverse()) await q.dropTable(table.name, true);
  }
}
