import type { CoordinationEventType } from '@coord/domain';
import { SqliteEventStore } from '@coord/event-store';
import type { DataSource } from 'typeorm';
import { ALL_PROJECTIONS } from '../all.projections';
import type { EventDataOf } from '../projection';
import { ProjectionRunner } from '../projection-runner';
import { newEvent, streamOf } from './event-feed';
import { openTestReadModels } from './read-model-data-source';

export type GivenEvent = { [T in CoordinationEventType]: [T, EventDataOf<T>] }[CoordinationEventType];

/** Append the given events to an in-memory SQLite store and project them with the real runner. */
export async function projectedReadModels(events: readonly GivenEvent[]): Promise<DataSource> {
  const store = SqliteEventStore.open(':memory:');
  const ds = await openTestReadModels();
  for (const [type, data] of events) await store.append(streamOf(type, data), [newEvent(type, data as never)], 'any');
  await new ProjectionRunner({ store, dataSource: ds, projections: ALL_PROJECTIONS }).runUntilCaughtUp();
  await store.close();
  return ds;
}
