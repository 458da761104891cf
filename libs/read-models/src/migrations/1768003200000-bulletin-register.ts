import { type MigrationInterface, type QueryRunner, Table, TableIndex, type TableColumnOptions } from 'typeorm';

// Portable (SQLite and PostgreSQL) like the initial migration; simple-json columns are text. Must match BulletinRegisterEntity.
const str = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'varchar', isNullable: nullable });
const txt = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
const big = (name: string): TableColumnOptions => ({ name, type: 'bigint', isNullable: false });
const pk = (name: string): TableColumnOptions => ({ name, type: 'varchar', isPrimary: true, isNullable: false });

/** The 《案情专报》 register (bulletin-register projection). */
export class BulletinRegister1768003200000 implements MigrationInterface {
  name = 'BulletinRegister1768003200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'bulletin_register',
        columns: [
          pk('bulletin_id'), str('case_id'), str('case_no'), str('title'), str('status'), int('revision'), str('drafted_on'),
          str('drafted_by'), str('approved_by', true), str('approved_on', true), int('year', true), int('seq', true),
          str('issue_no', true), str('issued_on', true), txt('distribution', true), str('corrects_bulletin_id', true),
          str('corrects_issue_no', true), txt('corrected_by'), int('version'), big('last_position'),
        ],
        indices: [
          new TableIndex({ name: 'ix_bulletin_register_year', columnNames: ['year', 'seq'] }),
          new TableIndex({ name: 'ix_bulletin_register_case', columnNames: ['case_id'] }),
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('bulletin_register', true);
  }
}
