import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { renderMetrics } from '@coord/platform';
import { Public } from '../auth/auth.decorators';

/**
 * GET /metrics — Prometheus text from prom-client's global registry (see libs/platform/src/metrics.ts).
 *
 * Public, like /health, on purpose: Prometheus scrapers do not carry our JWTs, and the content is
 * operational only — counts, latencies, log positions and projection names, never an id, a user, an
 * agency or any case data (the labels are fixed vocabularies). What it does reveal is activity volume
 * (how many events per hour), so the deployment guide tells operators to expose /metrics only on the
 * internal network (reverse proxy rule), as with any Prometheus endpoint.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  @Get()
  @Public()
  @Header('cache-control', 'no-store')
  async metrics(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const { contentType, body } = await renderMetrics();
    reply.header('content-type', contentType);
    return body;
  }
}
