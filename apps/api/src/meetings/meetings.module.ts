import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MeetingQuery } from '@coord/read-models';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { HistoryService } from '../history/history.service';
import { MeetingStepHandler } from './meeting.bus-handlers';
import { MeetingsController } from './meetings.controller';

/**
 * 联席会议: its own module so the shared AppModule only imports it. The store, the command handler and
 * the read-model DataSource come from the global InfrastructureModule. The process manager that turns
 * passed decisions into supervision items is not here: it follows the event log (BootstrapService in
 * the embedded profile, the projector process otherwise).
 */
@Module({
  controllers: [MeetingsController],
  providers: [{ provide: MeetingQuery, useFactory: (ds: DataSource) => new MeetingQuery(ds), inject: [DataSource] }, AgencyDirectory, HistoryService, MeetingStepHandler],
})
export class MeetingsModule {}
