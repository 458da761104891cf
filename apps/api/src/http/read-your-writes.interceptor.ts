import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { from, switchMap, type Observable } from 'rxjs';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
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
  constructor(
    private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<{ method: string; query?: Record<string, unknown> }>();
    const raw = request.method === 'GET' ? request.query?.minPosition : undefined;
    if (raw === undefined) return next.handle();
    const position = Number(raw);
    if (!Number.isSafeInteger(position) || position < 0) {
      throw new InputProblem(400, 'validation-failed', '请求参数校验失败', [{ field: 'minPosition', message: '必须是非负整数' }]);
    }
    // A position the store has not reached was never returned by any command: waiting for it would hold
    // the connection for the whole wait and then answer 503, so it is the client's mistake, said at once.
    return from(this.store.headPosition()).pipe(
      switchMap((head) => {
        if (position > head) {
          throw new InputProblem(400, 'validation-failed', '请求参数校验失败', [{ field: 'minPosition', message: '超出已写入的位置' }]);
        }
        return from(this.runner.waitFor(position, WAIT_MS));
      }),
      switchMap((caughtUp) => {
        if (!caughtUp) throw new InputProblem(503, 'read-model-behind', '读模型尚未同步到该位置，请稍后重试');
        return next.handle();
      }),
    );
  }
}
