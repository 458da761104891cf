import { InitialReadModels1767225600000 } from './migrations/1767225600000-initial-read-models';

/** The read models' migrations in order, for the DataSource's `migrations` option. */
export const READ_MODEL_MIGRATIONS = [InitialReadModels1767225600000];
