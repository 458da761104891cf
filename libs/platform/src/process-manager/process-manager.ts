import type { Actor } from '@coord/domain';
import type { CommandHandler, CommandMeta, StoredEvent } from '@coord/event-store';

/**
 * One thing a process manager does in reaction to an event: a command (or a multi-stream plan) run
 * through the CommandHandler with the `meta` the runner gives it. `key` names the reaction uniquely
 * within its event (e.g. the action item's id); the runner derives the command id from
 * (manager, event id, key), so a re-run after a crash replays instead of acting twice. Anything the
 * reaction creates (a supervision item's id) must be derived from that command id or from the event's
 * own data — never random.
 */
export interface ProcessStep {
  key: string;
  run(handler: CommandHandler, meta: CommandMeta): Promise<unknown>;
}

/**
 * A process manager: pure routing from a stored event to the steps it calls for. No I/O here; the
 * runner follows the log, executes the steps and keeps the checkpoint.
 */
export interface ProcessManager {
  /** stable: the checkpoint row and part of every command id */
  readonly name: string;
  readonly handles: readonly string[];
  stepsFor(event: StoredEvent): readonly ProcessStep[];
}

/** Who a process manager acts as: the system, recorded on every event it causes. */
export const PROCESS_MANAGER_ACTOR: Actor = { userId: '00000000-0000-5000-8000-000000000000', username: 'system', role: 'system' };
