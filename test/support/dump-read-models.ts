import type { DataSource } from 'typeorm';

/** Every read-model table's rows, ordered by primary key, for comparing two states of the read side. */
export async function dumpReadModels(ds: DataSource): Promise<Record<string, unknown[]>> {
  const dump: Record<string, unknown[]> = {};
  for (const meta of ds.entityMetadatas) {
    // the integration relay's checkpoint is delivery bookkeeping, not a read model: it moves on its own
    // schedule (and a rebuild leaves it alone on purpose), so it is not part of the comparison
    if (meta.tableName === 'relay_checkpoints') continue;
    const order = meta.primaryColumns.map((c) => `"${c.databaseName}"`).join(', ');
    dump[meta.tableName] = await ds.query(`SELECT * FROM "${meta.tableName}" ORDER BY ${order}`);
  }
  return dump;
}
