import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { ProjectionRunner } from '@coord/read-models';
import { Public } from '../auth/auth.decorators';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
    private readonly runner: ProjectionRunner,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('eventStore');
        try {
          return indicator.up({ headPosition: await this.store.headPosition() });
        } catch (e) {
          return indicator.down({ message: (e as Error).message });
        }
      },
      async () => {
        const indicator = this.indicators.check('readModels');
        try {
          await this.dataSource.query('SELECT 1');
          // lag is information, not failure: a rebuild legitimately runs behind for a while
          return indicator.up({ checkpoint: await this.runner.checkpoint() });
        } catch (e) {
          return indicator.down({ message: (e as Error).message });
        }
      },
    ]);
  }
}
