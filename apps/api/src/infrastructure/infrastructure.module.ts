import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommandHandler, EVENT_STORE } from '@coord/event-store';
import {
  BulletinSourceQuery,
  CaseQuery,
  LeadQuery,
  OverdueFollowUpQuery,
  ProjectionRunner,
  RecoveredLossQuery,
  SupervisionQuery,
} from '@coord/read-models';
import { APP_CONFIG, type Infrastructure } from '@coord/platform';

export const INFRASTRUCTURE = Symbol('INFRASTRUCTURE');

/**
 * Hands the already-opened infrastructure (store, handler, read-model database, runner) to Nest's DI.
 * Opening happens outside Nest (libs/platform) so the api, the projector and the rebuild command share it.
 */
@Global()
@Module({})
export class InfrastructureModule implements OnApplicationShutdown {
  constructor(@Inject(INFRASTRUCTURE) private readonly infra: Infrastructure) {}

  static forRoot(infra: Infrastructure): DynamicModule {
    const ds = infra.dataSource;
    const providers = [
      { provide: INFRASTRUCTURE, useValue: infra },
      { provide: APP_CONFIG, useValue: infra.config },
      { provide: EVENT_STORE, useValue: infra.store },
      { provide: CommandHandler, useValue: infra.handler },
      { provide: DataSource, useValue: ds },
      { provide: ProjectionRunner, useValue: infra.runner },
      { provide: LeadQuery, useValue: new LeadQuery(ds) },
      { provide: CaseQuery, useValue: new CaseQuery(ds) },
      { provide: SupervisionQuery, useValue: new SupervisionQuery(ds) },
      { provide: RecoveredLossQuery, useValue: new RecoveredLossQuery(ds) },
      { provide: OverdueFollowUpQuery, useValue: new OverdueFollowUpQuery(ds) },
      { provide: BulletinSourceQuery, useValue: new BulletinSourceQuery(ds) },
    ];
    return { module: InfrastructureModule, providers, exports: providers.map((p) => p.provide) };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.infra.close();
  }
}
