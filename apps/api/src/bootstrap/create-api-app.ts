import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { DestinationStream } from 'pino';
import { createPinoLogger, openInfrastructure, PinoNestLogger, type AppConfig } from '@coord/platform';
import { AppModule } from '../app.module';
import { installHttpHardening } from '../http/http-hardening';
import { createValidationPipe } from '../http/validation';
import { installRequestLogging } from '../observability/request-logging';
import { installWebConsole } from './web-console';

/** Builds the api application (used by main.ts and by the e2e tests, so tests run the real wiring). */
export async function createApiApp(config: AppConfig, options: { logDestination?: DestinationStream } = {}): Promise<NestFastifyApplication> {
  // structured JSON logs (pino) for everything Nest and our code log, installed before anything logs
  const nestLogger = new PinoNestLogger(createPinoLogger(config.logLevel, options.logDestination));
  Logger.overrideLogger(nestLogger);
  const infra = await openInfrastructure(config, new Logger('infrastructure'));
  // X-Forwarded-For is believed only from the listed reverse proxies (the rate limit keys on request.ip)
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, trustProxy: config.http.trustProxy.length > 0 ? config.http.trustProxy : false });
  installRequestLogging(adapter.getInstance());
  // Commands are JSON (ledger uploads register their own types): without Fastify's text/plain parser a
  // text body is a 415, not a body that then fails validation field by field.
  adapter.getInstance().removeContentTypeParser('text/plain');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(infra), adapter, {
    logger: nestLogger,
    abortOnError: false,
  });
  // security headers, CORS, rate limits: before init(), which is when Nest adds its routes
  await installHttpHardening(app, config.http);
  // the web console (dist/web, when built) at / with a fallback to index.html outside /api, /health, /metrics
  await installWebConsole(app);
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('反腐败协调小组工作平台 API')
      .setDescription('Coordination group API: leads (线索), transfers (移送), cases (案件), recoveries (挽损), supervision (督办). Errors are application/problem+json.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
  return app;
}
