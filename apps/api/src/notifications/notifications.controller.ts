import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@coord/domain';
import { NotificationQuery } from '@coord/read-models';
import { CurrentActor, Policy } from '../auth/auth.decorators';
import { scopeOf } from '../http/scope';
import { NotificationsQueryDto } from './notifications.dto';

@ApiTags('notifications 催办通知')
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationQuery) {}

  /**
   * Who sees what: a member agency its own reminders and escalations (whatever `agency` it asks for); the
   * office and auditors everything, optionally for one agency; leadership the escalations only — those are
   * the ones addressed to the group leader, reminders are the agencies' business.
   */
  @Get()
  @Policy('notification.list')
  @ApiOperation({ summary: '催办通知（到期催办、逾期升级督办），最新在前' })
  list(@Query() q: NotificationsQueryDto, @CurrentActor() actor: Actor) {
    const agency = scopeOf(actor) ?? q.agency;
    const kind = actor.role === 'leadership' ? 'escalation' : q.kind;
    return this.notifications.list({ agency, kind, limit: q.limit ?? 50, offset: q.offset ?? 0 });
  }
}
