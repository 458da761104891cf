import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@coord/domain';
import { NotificationQuery } from '@coord/read-models';
import { CurrentActor, Policy } from '../auth/auth.decorators';
import { RecusalService } from '../auth/authorization/recusal';
import { scopeOf } from '../http/scope';
import { NotificationsQueryDto } from './notifications.dto';

@ApiTags('notifications 催办通知')
@ApiBearerAuth()
@Controller('api/notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationQuery,
    private readonly recusal: RecusalService,
  ) {}

  /**
   * Who sees what: a member agency its own reminders and escalations (whatever `agency` it asks for); the
   * office and auditors everything, optionally for one agency; leadership the escalations only — those are
   * the ones addressed to the group leader, reminders are the agencies' business. 回避: nothing about a lead
   * or case that names the reader (directly, or through a supervision item opened for it).
   */
  @Get()
  @Policy('notification.list')
  @ApiOperation({ summary: '催办通知（到期催办、逾期升级督办），最新在前' })
  async list(@Query() q: NotificationsQueryDto, @CurrentActor() actor: Actor) {
    const agency = scopeOf(actor) ?? q.agency;
    const kind = actor.role === 'leadership' ? 'escalation' : q.kind;
    const { leadIds, caseIds } = await this.recusal.hiddenFrom(actor);
    return this.notifications.list({ agency, kind, limit: q.limit ?? 50, offset: q.offset ?? 0, excludeLeadIds: leadIds, excludeCaseIds: caseIds });
  }
}
