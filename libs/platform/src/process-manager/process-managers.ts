import type { StoredEvent } from '@coord/event-store';
import type { Infrastructure } from '../infrastructure';
import { meetingDecisionsProcessManager } from './meeting-decisions.process-manager';
import type { ProcessManager } from './process-manager';
import { ProcessManagerRunner, type ProcessManagerLogger } from './process-manager-runner';

/** Every process manager the system runs (in the api for the embedded profile, in the projector otherwise). */
export const ALL_PROCESS_MANAGERS: readonly ProcessManager[] = [meetingDecisionsProcessManager];

/** The runners of every process manager over an opened infrastructure; start them, stop them before closing it. */
export function createProcessManagerRunners(
  infra: Pick<Infrastructure, 'store' | 'handler' | 'dataSource'>,
  logger?: ProcessManagerLogger,
  transform?: (e: StoredEvent) => StoredEvent,
  isActive?: () => boolean,
): ProcessManagerRunner[] {
  return ALL_PROCESS_MANAGERS.map(
    (manager) => new ProcessManagerRunner({ store: infra.store, handler: infra.handler, dataSource: infra.dataSource, manager, logger, transform, isActive }),
  );
}
