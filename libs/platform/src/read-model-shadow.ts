import { rmSync } from 'node:fs';
import { DataSource } from 'typeorm';
import type { AppConfig } from './app-config';
import { openReadModels } from './infrastructure';

/**
 * Where a rebuild-while-serving builds its copy of the read models (see rebuildViaShadow): a sibling
 * PostgreSQL schema `<schema>_rebuild` in the same database, or a sibling SQLite file. Always dropped and
 * recreated first — a rebuild that crashed half-way leaves a shadow nobody reads.
 */
export function shadowReadModelsConfig(config: AppConfig): AppConfig {
  const rm = config.readModels;
  return {
    ...config,
    readModels: rm.kind === 'sqlite' ? { kind: 'sqlite', file: rm.file.replace(/(\.sqlite)?$/, '.rebuild.sqlite') } : { ...rm, schema: `${rm.schema}_rebuild` },
  };
}

export async function dropShadowReadModels(config: AppConfig): Promise<void> {
  const rm = shadowReadModelsConfig(config).readModels;
  if (rm.kind === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(rm.file + suffix, { force: true });
    return;
  }
  const ds = await new DataSource({ type: 'postgres', url: rm.url }).initialize();
  try {
    await ds.query(`DROP SCHEMA IF EXISTS "${rm.schema}" CASCADE`);
  } finally {
    await ds.destroy();
  }
}

/** An empty, migrated shadow; returns it with the SQLite file name (needed to ATTACH it for the swap). */
export async function openShadowReadModels(config: AppConfig): Promise<{ dataSource: DataSource; file?: string }> {
  await dropShadowReadModels(config);
  const shadow = shadowReadModelsConfig(config);
  return { dataSource: await openReadModels(shadow), file: shadow.readModels.kind === 'sqlite' ? shadow.readModels.file : undefined };
}
