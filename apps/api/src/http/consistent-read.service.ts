import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import { ProjectionRunner } from '@coord/read-models';
import { InputProblem } from './problem-details';

const WAIT_MS = 5_000;

/**
 * A record's ETag is its stream's version in the event store; its body comes from a read model. Before
 * answering, wait until the read models have applied the stream's last event, so the body is never older
 * than the ETag — otherwise a client could send If-Match with a fresh version while looking at a stale
 * body, and overwrite a change it never saw. (The row's own version column is not used: a projection
 * skips event types it does not handle, e.g. reminders, and would lag the stream's version for ever.)
 */
@Injectable()
export class ConsistentRead {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
  ) {}

  /** Waits for the stream's last event to be projected and returns the stream's version (0 if none). */
  async settle(streamId: string): Promise<number> {
    const version = await this.store.streamVersion(streamId);
    if (version === 0) return 0;
    const [last] = await this.store.readStream(streamId, { fromVersion: version });
    if (last && !(await this.runner.waitFor(last.position, WAIT_MS))) {
      throw new InputProblem(503, 'read-model-behind', '读模型尚未同步到该记录的最新版本，请稍后重试');
    }
    return version;
  }
}
