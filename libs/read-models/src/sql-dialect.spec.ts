import { DataSource, type DataSourceOptions } from 'typeorm';
import { READ_MODEL_ENTITIES } from './entities/read-model.entities';
import { RowMapper } from './sql-dialect';

/** Sample values per column kind, including the nulls and the undefined (missing property) a row may carry. */
function samples(type: unknown): unknown[] {
  switch (type) {
    case 'varchar':
    case 'text':
      return ['县财政局', '', null, undefined];
    case 'integer':
      return [0, 42, -3, null];
    case 'bigint':
      return [0, 9_007_199_254_740_991, 123_456_789_012, null];
    case 'simple-json':
      return [{ a: [1, '两'], b: null }, [], 'text', null, undefined];
    case 'boolean':
      return [true, false, null];
    default:
      return [null];
  }
}

/**
 * RowMapper.toDatabase converts common column kinds itself (for speed): it must give exactly what the
 * driver's preparePersistentValue gives, on both dialects, for every column of every read-model entity.
 */
describe.each([
  ['better-sqlite3', { type: 'better-sqlite3', database: ':memory:' }],
  ['postgres', { type: 'postgres', url: 'postgres://unused@127.0.0.1:1/none' }],
])('RowMapper.toDatabase (%s)', (_name, options) => {
  let ds: DataSource;

  beforeAll(async () => {
    ds = new DataSource({ ...options, entities: [...READ_MODEL_ENTITIES] } as DataSourceOptions);
    // metadata only: no connection is opened
    await (ds as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  });

  it.each(READ_MODEL_ENTITIES.map((e) => [e.name, e]))('%s: same values as the driver', (_entity, entity) => {
    const mapper = new RowMapper<object>(ds, entity);
    const rounds = Math.max(...mapper.columns.map((c) => samples(c.type).length));
    for (let r = 0; r < rounds; r++) {
      const row: Record<string, unknown> = {};
      for (const c of mapper.columns) {
        const values = samples(c.type);
        const v = values[r % values.length];
        if (v !== undefined) row[c.propertyName] = v;
      }
      const expected = mapper.columns.map((c) => {
        const v = row[c.propertyName];
        return ds.driver.preparePersistentValue(v === undefined ? null : v, c);
      });
      expect(mapper.toDatabase(row)).toEqual(expected);
    }
  });
});
