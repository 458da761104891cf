import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';

/** The integration relay's own checkpoint (see RelayCheckpointEntity). Portable Table API, as the first migration. */
export class RelayCheckpoints1767398400000 implements MigrationInterface {
  name = 'RelayCheckpoints1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'relay_checkpoints',
        columns: [
          { name: 'name', type: 'varchar', isPrimary: true, isNullable: false },
          { name: 'position', type: 'bigint', isNullable: false },
          { name: 'updated_at', type: 'varchar', isNullable: true },
        ],
      }),
      true,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('relay_checkpoints', true);
  }
}
