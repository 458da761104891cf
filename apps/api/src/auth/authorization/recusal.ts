import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { streams, type Actor } from '@coord/domain';
import { EVENT_STORE, type EventStore, type StoredEvent } from '@coord/event-store';
import { LeadRegisterEntity } from '@coord/read-models';

/** A person as a case or lead names them (姓名 + 工作单位). */
export interface NamedPerson {
  name: string;
  unit: string;
}

/** Trim, and fold full-width spaces and NFKC variants (全角/半角) so "县住建局 " and "县住建局" are one unit. */
export const normalizePersonPart = (s: string | undefined | null): string => (s ?? '').normalize('NFKC').trim();

/**
 * An actor as the guard hands it on: with the person behind the account (姓名, 工作单位) when the office
 * recorded one. Not part of the domain's Actor: events' actor metadata never carries it (the store copies
 * the actor's fields one by one).
 */
export type PersonActor = Actor & { fullName?: string; unit?: string };

/** The person behind an actor, when the account recorded one (both parts, non-blank). */
export function personOf(actor: PersonActor): NamedPerson | undefined {
  const name = normalizePersonPart(actor.fullName);
  const unit = normalizePersonPart(actor.unit);
  return name && unit ? { name, unit } : undefined;
}

/**
 * 回避 — THE rule, in one place: a user is implicated in a lead or case when one of its subjects has the
 * same name AND the same unit as the user (both normalized). Name alone would refuse every 张伟 in the
 * county; unit alone every colleague. Users without a recorded identity are never implicated (the office
 * records identities of the people who use the system; see docs/security-authorization.md).
 */
export function isImplicated(actor: PersonActor, subjects: readonly NamedPerson[]): boolean {
  const me = personOf(actor);
  if (!me) return false;
  return subjects.some((s) => normalizePersonPart(s.name) === me.name && normalizePersonPart(s.unit) === me.unit);
}

/** first events kept by RecusalService (a few hundred bytes each) */
const FIRST_EVENTS_KEPT = 20_000;

/** Reads answer 404 (do not confirm the case exists to the person it names); writes 403. */
export const recusalStatus = (kind: 'read' | 'write' | 'session'): 404 | 403 => (kind === 'read' ? 404 : 403);

/**
 * Where the subjects come from. By id: the event streams themselves (lead.registered's subject,
 * case.filed's subjects, the bulletin's case) — authoritative and never behind a projection; subjects are
 * data, so the confidential part (a lead's informant) is not opened for this. Lists:
 * the lead register, one query for every lead naming the person and the cases those leads became (a
 * case's subjects are its leads' subjects at filing, see leadAtFiling).
 */
@Injectable()
export class RecusalService {
  private readonly firstEvents = new Map<string, Pick<StoredEvent, 'type' | 'data'>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly dataSource: DataSource,
  ) {}

  async leadSubjects(leadId: string): Promise<NamedPerson[]> {
    const first = await this.firstEvent(streams.lead(leadId));
    const subject = first?.type === 'lead.registered' ? (first.data as { subject?: NamedPerson }).subject : undefined;
    return subject ? [subject] : [];
  }

  async caseSubjects(caseId: string): Promise<NamedPerson[]> {
    const first = await this.firstEvent(streams.case(caseId));
    return first?.type === 'case.filed' ? ((first.data as { subjects?: NamedPerson[] }).subjects ?? []) : [];
  }

  async bulletinSubjects(bulletinId: string): Promise<NamedPerson[]> {
    const first = await this.firstEvent(streams.bulletin(bulletinId));
    const caseId = (first?.data as { caseId?: string } | undefined)?.caseId;
    return caseId ? this.caseSubjects(caseId) : [];
  }

  /**
   * The stream's first event (its type and data), kept once read. Safe to keep, in every process: the
   * first event of a stream is never changed or removed (the log is append-only and hash-chained; erasure
   * only destroys keys of confidential parts, which are not read here), so a kept copy is exactly what a
   * fresh read — here or on another replica — returns. A stream not (yet) created is not kept: its first
   * event may be appended at any moment. Bounded: the least recently used goes first.
   */
  private async firstEvent(streamId: string): Promise<Pick<StoredEvent, 'type' | 'data'> | undefined> {
    const kept = this.firstEvents.get(streamId);
    if (kept) {
      this.firstEvents.delete(streamId);
      this.firstEvents.set(streamId, kept);
      return kept;
    }
    const [first] = await this.store.readStream(streamId, { toVersion: 1, confidential: 'omit' });
    if (!first) return undefined;
    const event = { type: first.type, data: first.data };
    this.firstEvents.set(streamId, event);
    if (this.firstEvents.size > FIRST_EVENTS_KEPT) this.firstEvents.delete(this.firstEvents.keys().next().value as string);
    return event;
  }

  async implicatedIn(actor: Actor, resource: { kind: 'lead' | 'case' | 'bulletin'; id: string }): Promise<boolean> {
    if (!personOf(actor)) return false;
    const subjects =
      resource.kind === 'lead' ? await this.leadSubjects(resource.id) : resource.kind === 'case' ? await this.caseSubjects(resource.id) : await this.bulletinSubjects(resource.id);
    return isImplicated(actor, subjects);
  }

  /** Ids a list, an export or an as-of ledger must leave out for this actor (empty for most users). */
  async hiddenFrom(actor: Actor): Promise<{ leadIds: string[]; caseIds: string[] }> {
    const me = personOf(actor);
    if (!me) return { leadIds: [], caseIds: [] };
    // candidates by exact name in SQL, then the normalized comparison of the rule itself (units vary in spacing)
    const rows = await this.dataSource
      .getRepository(LeadRegisterEntity)
      .createQueryBuilder('l')
      .select(['l.leadId', 'l.caseId', 'l.subjectName', 'l.subjectUnit'])
      .where('TRIM(l.subjectName) = :name', { name: me.name })
      .getMany();
    const mine = rows.filter((r) => isImplicated(actor, [{ name: r.subjectName, unit: r.subjectUnit }]));
    return { leadIds: mine.map((r) => r.leadId), caseIds: [...new Set(mine.map((r) => r.caseId).filter((c): c is string => !!c))] };
  }
}
