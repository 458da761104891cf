import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_SCHEMA_VERSIONS, shanghaiDateOf, streams, type AccessRecorded, type Actor } from '@coord/domain';
import { EVENT_STORE, type EventStore, type NewEvent } from '@coord/event-store';

export interface AccessRecordView {
  at: string;
  username: string;
  role: string;
  agency?: string;
  subjectKind: string;
  subjectId?: string;
  action: string;
  route: string;
  position: number;
}

/** The longest span one audit query walks (one stream per day). */
export const MAX_AUDIT_DAYS = 366;

/**
 * Access records are EVENTS (`audit.access-recorded` in one `audit-<day>` stream per Asia/Shanghai day),
 * not rows in a table: they are then append-only by construction, covered by the hash chain over the
 * whole log (a deleted or edited access record breaks verification like any other event) and kept
 * with the same backups. Appended with expectedVersion 'any' — a record contends with nothing, and
 * folding the day's stream to decide would cost a full read per access.
 *
 * Querying walks the day streams of the asked span (bounded by MAX_AUDIT_DAYS): no read model to keep,
 * and an audit trail answered from the log itself cannot disagree with it.
 */
@Injectable()
export class AccessAuditService {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async record(actor: Actor, data: AccessRecorded['data'], correlationId?: string): Promise<void> {
    const now = new Date();
    const { userId, username, role, agency } = actor;
    const event: NewEvent = {
      eventId: randomUUID(),
      type: 'audit.access-recorded',
      schemaVersion: EVENT_SCHEMA_VERSIONS['audit.access-recorded'],
      data,
      metadata: {
        occurredAt: now.toISOString(),
        actor: agency === undefined ? { userId, username, role } : { userId, username, role, agency },
        correlationId: correlationId ?? randomUUID(),
        causationId: randomUUID(),
      },
    };
    await this.store.append(streams.accessAudit(shanghaiDateOf(now)), [event], 'any');
  }

  async query(q: { from: string; to: string; subject?: string; user?: string }): Promise<AccessRecordView[]> {
    const out: AccessRecordView[] = [];
    for (let day = q.from; day <= q.to; day = nextDay(day)) {
      for (const e of await this.store.readStream(streams.accessAudit(day))) {
        if (e.type !== 'audit.access-recorded') continue;
        const d = e.data as AccessRecorded['data'];
        const actor = e.metadata.actor;
        if (q.user !== undefined && actor.username !== q.user) continue;
        if (q.subject !== undefined && d.subjectId !== q.subject && `${d.subjectKind}:${d.subjectId ?? ''}` !== q.subject) continue;
        out.push({
          at: e.metadata.occurredAt,
          username: actor.username,
          role: actor.role,
          ...(actor.agency ? { agency: actor.agency } : {}),
          subjectKind: d.subjectKind,
          ...(d.subjectId !== undefined ? { subjectId: d.subjectId } : {}),
          action: d.action,
          route: d.route,
          position: e.position,
        });
      }
    }
    return out;
  }
}

export function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
