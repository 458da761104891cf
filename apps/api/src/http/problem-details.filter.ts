import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem-details';

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = { ...toProblem(exception), instance: request.url.split('?')[0] };
    if (body.status === 500) {
      // Only the error's name and stack: request bodies may hold informant data and are never logged.
      const err = exception instanceof Error ? exception : new Error(String(exception));
      this.logger.error(`${request.method} ${body.instance} failed: ${err.name}: ${err.message}`, err.stack);
    } else if (body.status > 500) {
      // an expected, answered condition (read model behind, dependency down): no stack, not an error
      this.logger.warn(`${request.method} ${body.instance} answered ${body.status} ${body.code}`);
    }
    void reply.status(body.status).header('content-type', PROBLEM_CONTENT_TYPE).send(body);
  }
}
