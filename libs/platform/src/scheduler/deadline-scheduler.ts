import {
  calendarFromEvents,
  leadDecider,
  shanghaiDateOf,
  streams,
  supervisionDecider,
  type Actor,
  type CalendarEvent,
  type CommandContext,
  type LeadCommand,
  type SupervisionCommand,
  type WorkingDayCalendar,
} from '@coord/domain';
import { uuidV5, type CommandHandler, type CommandMeta, type CommandResult, type EventStore } from '@coord/event-store';
import { ReminderDeadlineQuery, type ReminderDeadlineEntity } from '@coord/read-models';
import type { DataSource } from 'typeorm';
import type { ClockConfig, ReminderConfig } from '../app-config';
import { rungsFor, rungToFire, type Rung } from './reminder-ladder';

/** Who the scheduler's commands are recorded as ("全程登记备查": the system, not a person). */
export const SCHEDULER_ACTOR: Actor = { userId: 'system:deadline-scheduler', username: 'deadline-scheduler', role: 'system' };

export interface SchedulerClock {
  now(): Date;
}
export const REAL_CLOCK: SchedulerClock = { now: () => new Date() };

export interface SchedulerLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface DeadlineSchedulerDeps {
  store: EventStore;
  handler: CommandHandler;
  dataSource: DataSource;
  clocks: ClockConfig;
  reminders: ReminderConfig;
  /** injectable for tests; the default is the real time */
  clock?: SchedulerClock;
  logger?: SchedulerLogger;
}

export interface FiredRung {
  deadlineId: string;
  step: string;
  dueOn: string;
  /** false when the command was a no-op (already fired / stale) or a replay of a command written before a crash */
  written: boolean;
  /** the log position to wait for (minPosition) before reading the notification */
  position: number;
}

export interface TickResult {
  today: string;
  examined: number;
  fired: FiredRung[];
  failed: { deadlineId: string; error: string }[];
}

/**
 * The durable deadline scheduler (催办/升级督办). Durable because it keeps no state of its own: on every tick
 * it reads the open deadlines from a read model (reminder_deadlines, projected from the events, including
 * the reminder events themselves), computes each due date and the rung due today (Asia/Shanghai, working
 * days from the editable `calendar` stream), and issues the reminder command. A restart loses nothing —
 * the next tick sees the same table.
 *
 * Never twice, in three layers:
 *  1. the read model's `lastStep` skips rungs already fired (the common case: no command at all);
 *  2. the command id is a name-based UUID of `<kind>:<id>:<step>:<dueOn>` with idempotencyKeyGiven, so a
 *     re-fire after a crash between append and projection (the read model lags) is a replay that writes
 *     nothing — and two scheduler processes racing append at most once (same event ids, version check);
 *  3. the decider refuses nothing but records nothing when that step for that due date already exists.
 * Trade-off: one full scan of the OPEN deadlines per tick (paged). Open obligations in a county number in
 * the hundreds; if that changes, store the next rung date (it depends on config + calendar, hence not
 * stored today, as in follow_up_clocks).
 */
export class DeadlineScheduler {
  private readonly deadlines: ReminderDeadlineQuery;
  private readonly clock: SchedulerClock;
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: DeadlineSchedulerDeps) {
    this.deadlines = new ReminderDeadlineQuery(deps.dataSource);
    this.clock = deps.clock ?? REAL_CLOCK;
  }

  /**
   * Tick every `tickIntervalMs` on the real clock (never when it is 0). The first tick comes one interval
   * after start, not at boot: reminders are day-granular, so nothing is lost by waiting, and a process that
   * is started for a moment (a test run, a restart loop, a one-off rebuild) writes no reminder events.
   */
  start(): void {
    const every = this.deps.reminders.tickIntervalMs;
    if (this.timer || every <= 0) return;
    const run = () => void this.tick().catch((e: Error) => this.deps.logger?.warn(`deadline scheduler tick failed: ${e.name}: ${e.message}`));
    this.timer = setInterval(run, every);
    this.timer.unref();
  }

  /** Stop ticking and wait for a tick in flight (so the store is not closed under it). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running.catch(() => undefined);
  }

  /** One pass as of `at` (default: the clock's now). Ticks are serialized: a tick waits for the one in flight. */
  tick(at: Date = this.clock.now()): Promise<TickResult> {
    const next = this.running.catch(() => undefined).then(() => this.pass(at));
    this.running = next;
    return next;
  }

  private async pass(at: Date): Promise<TickResult> {
    const today = shanghaiDateOf(at);
    const ctx: CommandContext = { actor: SCHEDULER_ACTOR, at: at.toISOString(), today };
    const calendar = await this.calendar();
    const result: TickResult = { today, examined: 0, fired: [], failed: [] };
    for (let after = ''; ; ) {
      const page = await this.deadlines.open(after);
      if (page.length === 0) break;
      after = page[page.length - 1]!.deadlineId;
      for (const row of page) {
        result.examined++;
        const dueOn = this.dueOn(row, calendar);
        if (dueOn === undefined) continue;
        const lastStep = row.lastStepDueOn === dueOn ? row.lastStep : null;
        const rung = rungToFire(rungsFor(dueOn, this.ladderOf(row), calendar), dueOn, today, lastStep);
        if (!rung) continue;
        try {
          const r = await this.fire(row, rung, dueOn, ctx);
          result.fired.push({ deadlineId: row.deadlineId, step: rung.step, dueOn, written: r.events.length > 0 && !r.replayed, position: r.position });
        } catch (e) {
          // one bad deadline must not stop the others; the next tick tries again. Log names, never payloads.
          const error = e instanceof Error ? `${e.name}${'code' in e ? `(${String((e as { code: unknown }).code)})` : ''}` : 'unknown';
          result.failed.push({ deadlineId: row.deadlineId, error });
          this.deps.logger?.warn(`reminder for ${row.deadlineId} ${rung.step} failed: ${error}`);
        }
      }
    }
    const written = result.fired.filter((f) => f.written).length;
    if (written > 0) this.deps.logger?.log(`deadline scheduler ${today}: ${written} reminder(s)/escalation(s) recorded`);
    return result;
  }

  private async calendar(): Promise<WorkingDayCalendar> {
    const events = await this.deps.store.readStream(streams.calendar());
    return calendarFromEvents(events.map((e) => ({ type: e.type, data: e.data }) as CalendarEvent));
  }

  private ladderOf(row: ReminderDeadlineEntity) {
    return row.kind === 'supervision-item' ? this.deps.reminders.supervision : this.deps.reminders.leadClocks;
  }

  /** Fixed for supervision items; otherwise the configured working-day clock from the start date. */
  private dueOn(row: ReminderDeadlineEntity, calendar: WorkingDayCalendar): string | undefined {
    if (row.fixedDueOn !== null) return row.fixedDueOn;
    const c = this.deps.clocks;
    const n =
      row.clockParam === 'transferAcknowledgeWorkingDays'
        ? c.transferAcknowledgeWorkingDays
        : row.clockParam === 'transferDecisionWorkingDays'
          ? c.transferDecisionWorkingDays
          : row.clockParam?.startsWith('dispositionWorkingDays.')
            ? (c.dispositionWorkingDays as Record<string, number>)[row.clockParam.slice('dispositionWorkingDays.'.length)]
            : undefined;
    return n === undefined ? undefined : calendar.addWorkingDays(row.startOn, n);
  }

  private fire(row: ReminderDeadlineEntity, rung: Rung, dueOn: string, ctx: CommandContext): Promise<CommandResult> {
    // the deterministic command id: a re-fire of the same rung for the same due date is recognised as a replay
    const meta: CommandMeta = { commandId: uuidV5(`${row.deadlineId}:${rung.step}:${dueOn}`), idempotencyKeyGiven: true, ctx };
    const escalate = rung.level !== undefined;
    const level = rung.level ?? 0;
    // a person acting at the same moment can move the stream's version: recomputing on new state is safe here
    const opts = { retryOnConflict: 3 };
    if (row.kind === 'supervision-item') {
      const command: SupervisionCommand = escalate
        ? { type: 'EscalateSupervisionItem', step: rung.step, level, dueOn, ctx }
        : { type: 'RemindSupervisionItem', step: rung.step, dueOn, ctx };
      return this.deps.handler.handle(supervisionDecider, row.streamId, command, meta, opts);
    }
    let command: LeadCommand;
    if (row.kind === 'disposition-conclusion') {
      command = escalate ? { type: 'EscalateLeadDisposition', step: rung.step, level, dueOn, ctx } : { type: 'RemindLeadDisposition', step: rung.step, dueOn, ctx };
    } else {
      const clock = row.kind === 'transfer-acknowledgement' ? 'acknowledgement' : 'decision';
      const transferId = row.transferId ?? '';
      command = escalate
        ? { type: 'EscalateLeadTransfer', transferId, clock, step: rung.step, level, dueOn, ctx }
        : { type: 'RemindLeadTransfer', transferId, clock, step: rung.step, dueOn, ctx };
    }
    return this.deps.handler.handle(leadDecider, row.streamId, command, meta, opts);
  }
}
