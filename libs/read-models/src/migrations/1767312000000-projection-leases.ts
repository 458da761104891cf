import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/**
 * The SQLite projection lease (see projection-lease.ts): one row per projection with its holder and the
 * epoch millisecond its lease expires. Created on PostgreSQL too (portable migrations, one list), where the
 * advisory lock is used instead and the table stays empty. Not part of the read models' dumps: a lease
 * is who runs, not what was projected.
 */
export class ProjectionLeases1767312000000 implements MigrationInterface {
  name = 'ProjectionLeases1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'projection_leases',
        columns: [
          { name: 'name', type: 'varchar', isPrimary: true, isNullable: false },
          { name: 'holder', type: 'varchar', isNullable: false },
          { name: 'expires_at', type: 'bigint', isNullable: false },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('projection_leases', true);
  }
}
