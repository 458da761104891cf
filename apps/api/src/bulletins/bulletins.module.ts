import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BulletinRegisterQuery } from '@coord/read-models';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { HistoryService } from '../history/history.service';
import { BulletinStepHandler, DraftBulletinCorrectionHandler, DraftBulletinHandler, IssueBulletinHandler } from './bulletin.bus-handlers';
import { BulletinsController } from './bulletins.controller';

/**
 * 《案情专报》: its own module so the shared AppModule only imports it. The store, the command handler,
 * the runner and the read-model DataSource come from the global InfrastructureModule.
 */
@Module({
  controllers: [BulletinsController],
  providers: [
    { provide: BulletinRegisterQuery, useFactory: (ds: DataSource) => new BulletinRegisterQuery(ds), inject: [DataSource] },
    AgencyDirectory,
    HistoryService,
    DraftBulletinHandler,
    BulletinStepHandler,
    IssueBulletinHandler,
    DraftBulletinCorrectionHandler,
  ],
})
export class BulletinsModule {}
