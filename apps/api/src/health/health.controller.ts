import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Infrastructure } from '@coord/platform';
import { Public } from '../auth/auth.decorators';
import { INFRASTRUCTURE } from '../infrastructure/infrastructure.module';

/**
 * Liveness and readiness, public (no data beyond positions and dependency names):
 *   /health/live   the process answers — for a restart policy; never touches a dependency, so a database
 *                  outage does not get every replica killed at once
 *   /health/ready  the event store, the read-model database and every check registered on the
 *                  infrastructure's ReadinessRegistry (the Kafka module adds "kafka") — for a load balancer
 *   /health        = /health/ready (kept for existing probes)
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(INFRASTRUCTURE) private readonly infra: Infrastructure,
  ) {}

  @Get('live')
  @Public()
  live() {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  @Get()
  @Public()
  @HealthCheck()
  check() {
    return this.ready();
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  async ready() {
    const results = await this.infra.readiness.run();
    return this.health.check(
      Object.entries(results).map(([name, result]) => async () => {
        const indicator = this.indicators.check(name);
        return result.status === 'up' ? indicator.up(result.details) : indicator.down(result.details);
      }),
    );
  }
}
