import { CaseAccessEntity } from './case-access.entity';
import { CaseBulletinSourceEntity } from './case-bulletin-source.entity';
import { BulletinRegisterEntity } from './bulletin-register.entity';
import { CaseRegisterEntity } from './case-register.entity';
import { MeetingRegisterEntity } from './meeting-register.entity';
import { ProcessManagerCheckpointEntity } from './process-manager-checkpoint.entity';
import { NotificationEntity } from './notification.entity';
import { RegularMeetingHalfYearEntity } from './regular-meeting-half-year.entity';
import { ReminderDeadlineEntity } from './reminder-deadline.entity';
import { FollowUpClockEntity } from './follow-up-clock.entity';
import { LeadAccessEntity } from './lead-access.entity';
import { LeadRegisterEntity } from './lead-register.entity';
import { ProjectionCheckpointEntity } from './projection-checkpoint.entity';
import { RecoveredLossEntity } from './recovered-loss.entity';
import { RelayCheckpointEntity } from './relay-checkpoint.entity';
import { SupervisionBoardEntity } from './supervision-board.entity';

/** Every read-model entity, for the DataSource's `entities` option. */
export const READ_MODEL_ENTITIES = [
  ProjectionCheckpointEntity,
  LeadRegisterEntity,
  LeadAccessEntity,
  CaseRegisterEntity,
  CaseAccessEntity,
  SupervisionBoardEntity,
  RecoveredLossEntity,
  FollowUpClockEntity,
  CaseBulletinSourceEntity,
  MeetingRegisterEntity,
  ProcessManagerCheckpointEntity,
  ReminderDeadlineEntity,
  NotificationEntity,
  RegularMeetingHalfYearEntity,
  BulletinRegisterEntity,
  RelayCheckpointEntity,
] as const;
