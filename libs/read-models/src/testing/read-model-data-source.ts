import { DataSource, type DataSourceOptions } from 'typeorm';
import { READ_MODEL_ENTITIES } from '../entities/read-model.entities';
import { READ_MODEL_MIGRATIONS } from '../read-model.migrations';

/** An in-memory SQLite read-model database, built by the real migration (never `synchronize`). */
export async function openTestReadModels(filename = ':memory:'): Promise<DataSource> {
  const ds = new DataSource({
    type: 'better-sqlite3',
    database: filename,
    entities: [...READ_MODEL_ENTITIES],
    migrations: [...READ_MODEL_MIGRATIONS],
    migrationsRun: true,
    logging: false,
  } as DataSourceOptions);
  return ds.initialize();
}

/** Every read-model table's rows, ordered by primary key, as a JSON string per table: for identity checks. */
export async function dumpReadModels(ds: DataSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entity of READ_MODEL_ENTITIES) {
    const m = ds.getMetadata(entity);
    const pk = m.primaryColumns[0].propertyName;
    const rows = await ds.getRepository(entity).find({ order: { [pk]: 'ASC' } });
    out[m.tableName] = JSON.stringify(rows);
  }
  return out;
}
