import type { RowProjection } from './projection';
import { caseAccessProjection } from './projections/case-access.projection';
import { caseBulletinSourcesProjection } from './projections/case-bulletin-sources.projection';
import { bulletinRegisterProjection } from './projections/bulletin-register.projection';
import { caseRegisterProjection } from './projections/case-register.projection';
import { followUpClocksProjection } from './projections/follow-up-clocks.projection';
import { leadAccessProjection } from './projections/lead-access.projection';
import { leadRegisterProjection } from './projections/lead-register.projection';
import { meetingRegisterProjection } from './projections/meeting-register.projection';
import { notificationsProjection } from './projections/notifications.projection';
import { regularMeetingsProjection } from './projections/regular-meetings.projection';
import { reminderDeadlinesProjection } from './projections/reminder-deadlines.projection';
import { recoveredLossesProjection } from './projections/recovered-losses.projection';
import { supervisionBoardProjection } from './projections/supervision-board.projection';

/** Every read-model projection, in the order the runner writes them within a batch. */
export const ALL_PROJECTIONS: readonly RowProjection<object>[] = [
  leadRegisterProjection,
  leadAccessProjection,
  caseRegisterProjection,
  caseAccessProjection,
  supervisionBoardProjection,
  recoveredLossesProjection,
  followUpClocksProjection,
  caseBulletinSourcesProjection,
  meetingRegisterProjection,
  reminderDeadlinesProjection,
  notificationsProjection,
  regularMeetingsProjection,
  bulletinRegisterProjection,
] as readonly RowProjection<object>[];
