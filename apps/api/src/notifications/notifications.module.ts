import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NotificationQuery } from '@coord/read-models';
import { NotificationsController } from './notifications.controller';
import { ReminderSchedulerService } from './reminder-scheduler.service';

/**
 * 催办: the notification feed and the deadline scheduler's host. The store, the command handler and the
 * read-model DataSource come from the global InfrastructureModule; BootstrapService starts the scheduler.
 */
@Module({
  controllers: [NotificationsController],
  providers: [
    { provide: NotificationQuery, useFactory: (ds: DataSource) => new NotificationQuery(ds), inject: [DataSource] },
    ReminderSchedulerService,
  ],
  exports: [ReminderSchedulerService],
})
export class NotificationsModule {}
