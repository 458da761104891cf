import { InitialReadModels1767225600000 } from './migrations/1767225600000-initial-read-models';
import { Meetings1767916800000 } from './migrations/1767916800000-meetings';
import { RemindersNotifications1767830400000 } from './migrations/1767830400000-reminders-notifications';
import { BulletinRegister1768003200000 } from './migrations/1768003200000-bulletin-register';
import { ProjectionLeases1767312000000 } from './migrations/1767312000000-projection-leases';
import { AuthSessions1768348800000 } from './migrations/1768348800000-auth-sessions';
import { RelayCheckpoints1767398400000 } from './migrations/1767398400000-relay-checkpoints';
import { QueryIndexes1768435200000 } from './migrations/1768435200000-query-indexes';
import { OverdueClockIndexes1768521600000 } from './migrations/1768521600000-overdue-clock-indexes';

/** The read models' migrations in order, for the DataSource's `migrations` option. */
export const READ_MODEL_MIGRATIONS = [InitialReadModels1767225600000, BulletinRegister1768003200000, ProjectionLeases1767312000000, RelayCheckpoints1767398400000, RemindersNotifications1767830400000, Meetings1767916800000, AuthSessions1768348800000, QueryIndexes1768435200000, OverdueClockIndexes1768521600000];
