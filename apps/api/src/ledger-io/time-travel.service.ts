import { Inject, Injectable } from '@nestjs/common';
import type { LocalDate } from '@coord/domain';
import { EVENT_STORE, type EventStore } from '@coord/event-store';
import {
  applyToCache,
  caseAccessProjection,
  caseRegisterProjection,
  leadAccessProjection,
  leadRegisterProjection,
  recoveredLossesProjection,
  RECOVERY_CATEGORY_LABELS,
  supervisionBoardProjection,
  toProjectedEvent,
  type CaseRegisterEntity,
  type LeadRegisterEntity,
  type Page,
  type ProjectedEvent,
  type RecoveredLossEntity,
  type RecoveredLossGroupBy,
  type RecoveredLossTotals,
  type RowProjection,
  type SupervisionBoardEntity,
} from '@coord/read-models';
import { businessDateOf, SEED_AGENCY_NAMES } from '@coord/reporting';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { LOG_BATCH } from '../reports/event-log-reader';

/** One projection replayed in memory: the same pure code the runner uses, on a Map instead of a table. */
class MemoryProjection<Row extends object> {
  readonly rows = new Map<string, Row>();
  private readonly handled: ReadonlySet<string>;
  private readonly scratch = new Map<string, Row | null>();
  constructor(private readonly projection: RowProjection<Row>) {
    this.handled = new Set(projection.handles);
  }
  apply(e: ProjectedEvent): void {
    if (!this.handled.has(e.type)) return;
    applyToCache(this.projection, this.rows, e, this.projection.keys(e), this.scratch);
    this.scratch.clear();
  }
}

const page = <T>(items: T[], limit = 50, offset = 0): Page<T> => ({ total: items.length, limit, offset, items: items.slice(offset, offset + limit) });

/**
 * 时间回溯: ledgers and recovered-loss totals as they stood on a past date, answered from the EVENTS —
 * every event whose business date is ≤ asOf, replayed through the read models' own pure projections in
 * memory — not from today's rows. A step entered later but dated before asOf counts; a step dated after
 * asOf does not, even if it was entered before.
 *
 * Cost, frankly: each request reads the whole log (O(events), batched) and holds the projected rows of the
 * ledger asked for in memory (O(items), e.g. ~1 KB per lead); fine for a county's volume (10⁴–10⁵
 * events: well under a second on SQLite), not for a province. The next step, if needed, is periodic
 * snapshots of these in-memory tables keyed by (asOf month) or a bitemporal read model.
 */
@Injectable()
export class TimeTravelService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly agencies: AgencyDirectory,
  ) {}

  private async replay(asOf: LocalDate, projections: MemoryProjection<object>[]): Promise<void> {
    const head = await this.store.headPosition();
    for (let after = 0; after < head; ) {
      const batch = await this.store.readAll(after, LOG_BATCH);
      if (batch.length === 0) break;
      for (const stored of batch) {
        if (stored.position > head) return;
        const e = toProjectedEvent(stored); // no confidential part from here on
        const on = businessDateOf(e);
        if (on === undefined || on > asOf) continue;
        for (const p of projections) p.apply(e);
      }
      after = batch[batch.length - 1].position;
    }
  }

  async leads(asOf: LocalDate, q: { scopeAgency?: string; excludeIds?: readonly string[]; limit?: number; offset?: number }): Promise<Page<LeadRegisterEntity> & { asOf: LocalDate }> {
    const register = new MemoryProjection(leadRegisterProjection);
    const access = new MemoryProjection(leadAccessProjection);
    await this.replay(asOf, [register, access] as MemoryProjection<object>[]);
    const visible = q.scopeAgency === undefined ? undefined : new Set([...access.rows.values()].filter((a) => a.agency === q.scopeAgency).map((a) => a.leadId));
    const hidden = new Set(q.excludeIds ?? []);
    const items = [...register.rows.values()].filter((l) => (!visible || visible.has(l.leadId)) && !hidden.has(l.leadId)).sort((a, b) => b.registeredPosition - a.registeredPosition);
    return { asOf, ...page(items, q.limit, q.offset) };
  }

  async cases(asOf: LocalDate, q: { scopeAgency?: string; excludeIds?: readonly string[]; limit?: number; offset?: number }): Promise<Page<CaseRegisterEntity> & { asOf: LocalDate }> {
    const register = new MemoryProjection(caseRegisterProjection);
    const access = new MemoryProjection(caseAccessProjection);
    await this.replay(asOf, [register, access] as MemoryProjection<object>[]);
    const visible = q.scopeAgency === undefined ? undefined : new Set([...access.rows.values()].filter((a) => a.agency === q.scopeAgency).map((a) => a.caseId));
    const hidden = new Set(q.excludeIds ?? []);
    const items = [...register.rows.values()].filter((c) => (!visible || visible.has(c.caseId)) && !hidden.has(c.caseId)).sort((a, b) => b.filedPosition - a.filedPosition);
    return { asOf, ...page(items, q.limit, q.offset) };
  }

  async supervision(asOf: LocalDate, q: { scopeAgency?: string; limit?: number; offset?: number }): Promise<Page<SupervisionBoardEntity> & { asOf: LocalDate }> {
    const board = new MemoryProjection(supervisionBoardProjection);
    await this.replay(asOf, [board] as MemoryProjection<object>[]);
    const items = [...board.rows.values()]
      .filter((s) => q.scopeAgency === undefined || s.assigneeAgency === q.scopeAgency)
      .sort((a, b) => (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : a.itemNo < b.itemNo ? -1 : 1));
    return { asOf, ...page(items, q.limit, q.offset) };
  }

  /** The recovered-loss report as of a date: recoveries dated ≤ asOf and corrections made ≤ asOf (booked in the original's period). */
  async recoveredLosses(asOf: LocalDate, q: { groupBy: RecoveredLossGroupBy; from?: string; to?: string }): Promise<RecoveredLossTotals & { asOf: LocalDate }> {
    const entries = new MemoryProjection(recoveredLossesProjection);
    const cases = new MemoryProjection(caseRegisterProjection);
    await this.replay(asOf, [entries, cases] as MemoryProjection<object>[]);
    const names = { ...SEED_AGENCY_NAMES, ...(await this.agencies.names()) };
    const rows = [...entries.rows.values()].filter((r) => (!q.from || r.recoveredOn >= q.from) && (!q.to || r.recoveredOn <= q.to));
    const keyOf = (r: RecoveredLossEntity): [string, string] => {
      switch (q.groupBy) {
        case 'agency':
          return [r.agency, names[r.agency] ?? r.agency];
        case 'category':
          return [r.category, RECOVERY_CATEGORY_LABELS[r.category] ?? r.category];
        case 'year':
          return [String(r.year), `${r.year}年`];
        case 'quarter':
          return [`${r.year}-Q${r.quarter}`, `${r.year}年第${r.quarter}季度`];
        case 'case': {
          const c = cases.rows.get(r.caseId);
          return [r.caseId, c ? `${c.caseNo} ${c.title}`.trim() : r.caseId];
        }
      }
    };
    const groups = new Map<string, { label: string; totalFen: number; cases: Set<string> }>();
    for (const r of rows) {
      const [key, label] = keyOf(r);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { label, totalFen: 0, cases: new Set() }));
      g.totalFen += r.amountFen;
      g.cases.add(r.caseId);
    }
    return {
      asOf,
      totalFen: rows.reduce((s, r) => s + r.amountFen, 0),
      caseCount: new Set(rows.map((r) => r.caseId)).size,
      rows: [...groups.entries()]
        .sort(([a, ga], [b, gb]) => (q.groupBy === 'case' ? ga.label.localeCompare(gb.label) : a < b ? -1 : a > b ? 1 : 0))
        .map(([key, g]) => ({ key, label: g.label, totalFen: g.totalFen, caseCount: g.cases.size })),
    };
  }
}
