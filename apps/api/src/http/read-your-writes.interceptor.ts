import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, switchMap, type Observable } from 'rxjs';
import { ProjectionRunner } from '@coord/read-models';
import { InputProblem } from './problem-details';

const WAIT_MS = 5_000;

/**
 * Read-your-writes: a GET with ?minPosition=p waits (briefly) until the read models have applied the
 * event at global position p — the position every command response returns. Past the wait the client
 * gets 503 with Retry-After rather than a silently stale answer.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(private readonly runner: ProjectionRunner) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ method: string; query?: Record<string, unknown> }>();
    const raw = request.method === 'GET' ? request.query?.minPosition : undefined;
    if (raw === undefined) return next.handle();
    const position = Number(raw);
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new InputProblem(400, 'validation-failed', '请求参数校验失败', [{ field: 'minPosition', message: '必须是非负整数' }]);
    }
    return from(this.runner.waitFor(position, WAIT_MS)).pipe(
      switchMap((caughtUp) => {
        if (!caughtUp) throw new InputProblem(503, 'read-model-behind', '读模型尚未同步到该位置，请稍后重试');
        return next.handle();
      }),
    );
  }
}
