import { AGENCY_CODES, EVENT_SCHEMA_VERSIONS, SEED_AGENCIES, streams, type CoordinationEventType } from '@coord/domain';
import type { ActorRef, EventStore, NewEvent, StreamAppend } from '@coord/event-store';
import type { EventDataOf } from '@coord/read-models';

/*
 * A realistic mixed history at scale, for the rebuild, query and growth benchmarks (issue 7).
 *
 * Event shapes are those of libs/read-models/src/testing/history.fixture.ts (the hand-built history that
 * touches every projection), typed through EventDataOf<T> so a payload that drifts from the catalogue
 * fails to compile. On top of the fixture it adds what a county's real log has at volume: meetings
 * (scheduled → topics → convened → briefings → decisions with statements → minutes → closed, passed
 * decisions opening supervision items), 《案情专报》 bulletins with their per-year issue numbers, 催办 and
 * escalation events (the notification feed), calendar and membership events, and access-audit records
 * that no projection handles (a runner must still read and skip them).
 *
 * Shape of the log:
 *  - about 10 events per lead on average (1,000,000 events ≈ 100,000 leads); `counts` reports the mix;
 *  - CHRONOLOGICAL: every item (lead, case, supervision item, bulletin, meeting) is a small state machine
 *    that waits for its next business date; a heap emits the earliest step first, so a lead's events are
 *    spread over the months of its life with thousands of other items' events in between — as in a real
 *    log, where a projection batch rarely finds two events of the same lead (a history written lead by
 *    lead would flatter the runner's in-batch row cache);
 *  - business dates from `fromDate` (2019-01-02) to `toDate` (2026-06-30, "today"), Asia/Shanghai, steps on
 *    working days; leads arrive evenly over the span; agencies weighted towards the discipline commission;
 *  - steps that would fall after `toDate` do not happen: items still in progress at the end stay open, and
 *    about 15% of leads are never disposed, some transfers never acknowledged, some supervision items
 *    never reported — so "overdue follow-ups" has real answers as of any date;
 *  - half the leads carry an informant in `confidential` (never projected);
 *  - deterministic: a seeded PRNG (mulberry32) and counters for every id; the same options give the same
 *    events in the same order, with the same event ids, on every run and machine.
 *
 * Memory: only the items in flight are held (a generator and a heap entry each: tens of thousands at 10M
 * events), never the history; events are built when they are emitted and handed out in batches.
 */

export interface HistoryOptions {
  /** PRNG seed (default 7) */
  seed?: number;
  /** number of leads (default: derived from `events`, or 10,000) */
  leads?: number;
  /**
   * stop after this many events — at the end of the step that reaches it, so a few events over: a limit
   * then never changes the order of what follows, and a history continued by a second `batches()` call is
   * the same event for event as one generated in one go
   */
  events?: number;
  /** first business date (default 2019-01-02) */
  fromDate?: string;
  /** "today": nothing happens after it (default 2026-06-30) */
  toDate?: string;
}

export interface HistoryCounts {
  events: number;
  /** StreamAppend entries (one per stream per command) */
  appends: number;
  commands: number;
  leads: number;
  cases: number;
  supervisionItems: number;
  bulletins: number;
  meetings: number;
  byType: Record<string, number>;
}

/** Measured average of this generator (9.77 at 100,000 leads); used only to size `leads` from `events`. */
export const EVENTS_PER_LEAD = 9.75;

// ── deterministic randomness ─────────────────────────────────────────────────────────────────────────

/** Seeded PRNG (mulberry32): the generator's and the query workload's only source of randomness. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ── business dates as epoch days (cheap arithmetic, strings cached) ──────────────────────────────────

const DAY_MS = 86_400_000;
const toDay = (date: string): number => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dateCache = new Map<number, string>();
function dateOf(day: number): string {
  let s = dateCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dateCache.set(day, s);
  }
  return s;
}
/** Saturday/Sunday → the next Monday (1970-01-01, day 0, was a Thursday). */
function workday(day: number): number {
  const dow = (day + 4) % 7; // 0 = Sunday
  return dow === 6 ? day + 2 : dow === 0 ? day + 1 : day;
}
const yearOf = (day: number): number => Number(dateOf(day).slice(0, 4));

// ── vocabulary ───────────────────────────────────────────────────────────────────────────────────────

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹'];
const GIVEN = [...'伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂华建国志红文斌'];
const UNITS = ['县交通运输局', '县住房和城乡建设局', '县自然资源局', '县水利局', '县教育局', '县卫生健康委', '县农业农村局', '县市场监管局', '城关镇人民政府', '河西镇人民政府', '东街街道办事处', '县国有资产投资公司', '县城市建设投资集团', '县民政局', '县医疗保障局'];
const POSTS = ['局长', '副局长', '科长', '副科长', '主任', '副主任', '镇长', '党委书记', '总经理', '财务科长', '所长', '站长'];
const ALLEGATIONS = ['违规收受礼品礼金', '利用职权为他人谋取利益并收受财物', '违规发放津贴补贴', '虚报冒领惠民资金', '工程项目招投标违规', '挪用公款', '违规兼职取酬', '公车私用', '违规公款吃喝', '在低保审批中优亲厚友', '侵占集体资金', '滥用职权造成国有资产损失'];
const LEAD_SOURCES = ['petition', 'petition', 'petition', 'special-inspection', 'audit-finding', 'inspection-tour', 'member-report', 'other'] as const;
/** reporting agencies, weighted: the discipline commission receives most leads */
const REPORTING: readonly string[] = [
  ...Array<string>(6).fill('discipline-commission'),
  ...Array<string>(2).fill('audit-bureau'),
  ...Array<string>(2).fill('public-security'),
  ...AGENCY_CODES.filter((a) => a !== 'discipline-commission'),
];
const HOLIDAYS: readonly [string, string][] = [
  ['01-01', '元旦'],
  ['04-05', '清明节'],
  ['05-01', '劳动节'],
  ['05-02', '劳动节'],
  ['05-03', '劳动节'],
  ['10-01', '国庆节'],
  ['10-02', '国庆节'],
  ['10-03', '国庆节'],
  ['10-04', '国庆节'],
  ['10-05', '国庆节'],
];

const ACTORS = new Map<string, ActorRef>(
  AGENCY_CODES.map((agency) => [
    agency,
    agency === 'discipline-commission'
      ? { userId: 'u-office', username: 'office', role: 'office' as const, agency }
      : { userId: `u-${agency}`, username: agency, role: 'agency' as const, agency },
  ]),
);
const LEADER: ActorRef = { userId: 'u-leader', username: 'leader', role: 'leadership' };
const SYSTEM: ActorRef = { userId: 'system', username: 'system', role: 'system' };

// ── the generator ────────────────────────────────────────────────────────────────────────────────────

/** One event to emit: its stream, type, payload, confidential part and actor. */
interface Planned {
  streamId: string;
  type: CoordinationEventType;
  data: unknown;
  confidential: Record<string, unknown> | null;
  actor: ActorRef;
}

/**
 * An item's life. It yields a NUMBER to wait until that day, then (resumed on that day) an ARRAY: one
 * command's events, emitted at once and atomically (e.g. ledger number + registration). Events are built
 * only when the item is resumed on their day, so numbers handed out in order (ledger seq per year, issue
 * numbers) follow the order of the log.
 */
type Life = Generator<number | Planned[], void, void>;

interface Waiting {
  day: number;
  seq: number;
  life: Life;
}

export class HistoryGenerator {
  readonly counts: HistoryCounts = { events: 0, appends: 0, commands: 0, leads: 0, cases: 0, supervisionItems: 0, bulletins: 0, meetings: 0, byType: {} };
  private readonly rng: () => number;
  private readonly seedHex: string;
  private readonly fromDay: number;
  private readonly lastDay: number;
  private readonly leadsTotal: number;
  private readonly maxEvents: number;
  private readonly heap: Waiting[] = [];
  private seq = 0;
  private eventCounter = 0;
  private readonly ledgerSeq = new Map<string, number>();
  /** a few recently registered leads (bounded), for meeting briefings */
  private readonly recentLeads: string[] = [];
  private ids = { lead: 0, case: 0, item: 0, bulletin: 0, meeting: 0 };
  /** the appends of the batch being filled */
  private out: StreamAppend[] = [];
  private outEvents = 0;

  constructor(options: HistoryOptions = {}) {
    const seed = options.seed ?? 7;
    this.rng = mulberry32(seed);
    this.seedHex = (seed >>> 0).toString(16).padStart(8, '0');
    this.fromDay = toDay(options.fromDate ?? '2019-01-02');
    this.lastDay = toDay(options.toDate ?? '2026-06-30');
    this.maxEvents = options.events ?? Number.POSITIVE_INFINITY;
    // sized so that the leads' arrivals cover the whole span when `events` is the limit (a few percent spare:
    // the end of the span is then reached before the limit rather than not at all)
    this.leadsTotal = options.leads ?? (options.events !== undefined ? Math.ceil((options.events / EVENTS_PER_LEAD) * 1.02) : 10_000);
    this.start(this.arrivals());
    this.start(this.meetingsSchedule());
    this.start(this.calendarSchedule());
    this.start(this.groupSetup());
  }

  /** True when the history is complete (every item finished, or the event limit reached). */
  get done(): boolean {
    return this.heap.length === 0 || this.counts.events >= this.maxEvents;
  }

  /**
   * The history in batches of about `batchEvents` events (a command is never split across batches, so one
   * append of a batch is one atomic unit of the real system). `maxEvents` stops this call early (the
   * generator can be resumed by another call: e.g. 1M events loaded, then 100k more for a catch-up).
   */
  *batches(batchEvents = 5000, maxEvents = Number.POSITIVE_INFINITY): Generator<StreamAppend[], void, void> {
    const stopAt = Math.min(this.maxEvents, this.counts.events + maxEvents);
    while (this.heap.length > 0 && this.counts.events < stopAt) {
      this.step();
      if (this.outEvents >= batchEvents && this.out.length > 0) yield this.flush();
    }
    if (this.out.length > 0) yield this.flush();
  }



  private flush(): StreamAppend[] {
    const batch = this.out;
    this.out = [];
    this.outEvents = 0;
    return batch;
  }

  // ── scheduling ──

  private start(life: Life): void {
    this.advance(life);
  }

  /** Run an item until it waits (queue it) or ends; emit the commands it yields on the way. */
  private advance(life: Life): void {
    for (;;) {
      const r = life.next();
      if (r.done) return;
      const v = r.value;
      if (typeof v === 'number') {
        if (v > this.lastDay) {
          life.return();
          return; // after "today": never happens
        }
        this.push({ day: v, seq: this.seq++, life });
        return;
      }
      this.emit(v);
    }
  }

  private step(): void {
    const top = this.pop();
    this.now = top.day;
    this.advance(top.life);
  }

  /** the day being emitted (items read it to date their steps) */
  private now = 0;

  private emit(events: Planned[]): void {
    if (events.length === 0) return;
    this.counts.commands++;
    const command = `cmd-${this.seedHex}-${this.counts.commands}`;
    const hour = String(1 + (this.counts.commands % 8)).padStart(2, '0'); // 09:00–16:00 Asia/Shanghai, same date
    const occurredAt = `${dateOf(this.now)}T${hour}:00:00.000Z`;
    let last: StreamAppend | undefined;
    for (const p of events) {
      this.eventCounter++;
      const e: NewEvent = {
        eventId: `${this.seedHex}-0000-4000-8000-${this.eventCounter.toString(16).padStart(12, '0')}`,
        type: p.type,
        schemaVersion: EVENT_SCHEMA_VERSIONS[p.type],
        data: p.data,
        confidential: p.confidential,
        metadata: { occurredAt, actor: p.actor, correlationId: command, causationId: command },
      };
      // a command's consecutive events on one stream are one append (as the command handler writes them)
      if (last && last.streamId === p.streamId) last.events.push(e);
      else {
        last = { streamId: p.streamId, events: [e], expectedVersion: 'any' };
        this.out.push(last);
        this.counts.appends++;
      }
      this.counts.byType[p.type] = (this.counts.byType[p.type] ?? 0) + 1;
    }
    this.counts.events += events.length;
    this.outEvents += events.length;
  }

  private push(w: Waiting): void {
    const h = this.heap;
    h.push(w);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h[i] as Waiting, h[parent] as Waiting)) break;
      [h[i], h[parent]] = [h[parent] as Waiting, h[i] as Waiting];
      i = parent;
    }
  }

  private pop(): Waiting {
    const h = this.heap;
    const top = h[0] as Waiting;
    const last = h.pop() as Waiting;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l] as Waiting, h[m] as Waiting)) m = l;
        if (r < h.length && before(h[r] as Waiting, h[m] as Waiting)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Waiting, h[i] as Waiting];
        i = m;
      }
    }
    return top;
  }

  // ── helpers for lives ──

  private chance(p: number): boolean {
    return this.rng() < p;
  }
  private int(min: number, max: number): number {
    return min + Math.floor(this.rng() * (max - min + 1));
  }
  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)] as T;
  }
  private other(agency: string): string {
    for (;;) {
      const a = this.pick(AGENCY_CODES);
      if (a !== agency) return a;
    }
  }
  /** `days` later, on a working day */
  private after(day: number, days: number): number {
    return workday(day + days);
  }
  private nextSeq(ledger: string, year: number): number {
    const key = `${ledger}-${year}`;
    const n = (this.ledgerSeq.get(key) ?? 0) + 1;
    this.ledgerSeq.set(key, n);
    return n;
  }
  private personName(): string {
    return `${this.pick(SURNAMES)}${this.pick(GIVEN)}${this.chance(0.6) ? this.pick(GIVEN) : ''}`;
  }

  private ev<T extends CoordinationEventType>(streamId: string, type: T, data: EventDataOf<T>, actor: ActorRef, confidential: Record<string, unknown> | null = null): Planned {
    return { streamId, type, data, confidential, actor };
  }
  private actor(agency: string): ActorRef {
    return ACTORS.get(agency) ?? (ACTORS.get('discipline-commission') as ActorRef);
  }

  // ── lives ──

  /** Leads arrive evenly over the span (one `receivedOn` per lead, non-decreasing). */
  private *arrivals(): Life {
    const span = this.lastDay - this.fromDay;
    for (let i = 0; i < this.leadsTotal; i++) {
      const day = this.fromDay + Math.floor((i * span) / this.leadsTotal);
      yield workday(day);
      this.advance(this.leadLife());
    }
  }

  private *leadLife(): Life {
    const n = ++this.ids.lead;
    const leadId = `L${n}`;
    const stream = streams.lead(leadId);
    const received = this.now;
    const year = yearOf(received);
    const seq = this.nextSeq('lead', year);
    const ledgerNo = `LC-${year}-${String(seq).padStart(4, '0')}`;
    const reporting = this.pick(REPORTING);
    const subject = { name: this.personName(), post: this.pick(POSTS), unit: this.pick(UNITS) };
    const hasInformant = this.chance(0.5);
    const office = this.actor('discipline-commission');
    this.counts.leads++;
    this.recentLeads[n % 64] = leadId;
    yield [
      this.ev(streams.ledger('lead', year), 'ledger.number-assigned', { ledger: 'lead', year, seq, number: ledgerNo, itemId: leadId }, office),
      this.ev(
        stream,
        'lead.registered',
        {
          leadId,
          ledgerNo,
          source: this.pick(LEAD_SOURCES),
          reportingAgency: reporting,
          subject,
          allegation: this.pick(ALLEGATIONS),
          receivedOn: dateOf(received),
          important: this.chance(0.15),
          hasInformant,
        },
        this.actor(reporting),
        hasInformant ? { informant: { name: this.personName(), contact: `138${String(10_000_000 + ((n * 7919) % 89_999_999)).slice(0, 8)}` } } : null,
      ),
    ];
    const title = `${subject.name}（${subject.unit}${subject.post}）`;
    // 协调办立项督办 of an important lead (the item lives on its own)
    if (this.chance(0.03)) this.advance(this.supervisionLife('office', `督办线索${ledgerNo}`, reporting, { leadId }));
    let holder = reporting;
    let day = received;

    // 线索移送 (45%): acknowledgement, then accepted / forwarded / returned; some never acknowledged
    if (this.chance(0.45)) {
      let transferId = `${leadId}-T1`;
      let from = reporting;
      let to = this.other(reporting);
      yield (day = this.after(day, this.int(1, 10)));
      yield [this.ev(stream, 'lead.transferred', { leadId, transferId, fromAgency: from, toAgency: to, letterNo: `移〔${yearOf(day)}〕${n}号`, reason: '属于其他单位管辖', transferredOn: dateOf(day) }, this.actor(from))];
      let hops = 0;
      for (;;) {
        const late = this.chance(0.15);
        if (late) {
          yield (day = this.after(day, 4));
          yield [this.ev(stream, 'lead.transfer-reminder-sent', { leadId, transferId, clock: 'acknowledgement', step: 'after-1', dueOn: dateOf(day - 1), agency: to, ref: ledgerNo, title, remindedOn: dateOf(day) }, SYSTEM)];
          if (this.chance(0.3)) {
            yield (day = this.after(day, 5));
            yield [this.ev(stream, 'lead.transfer-escalated', { leadId, transferId, clock: 'acknowledgement', step: 'after-5', dueOn: dateOf(day - 6), agency: to, ref: ledgerNo, title, level: 1, toRole: 'group-leader', daysOverdue: 6, escalatedOn: dateOf(day) }, SYSTEM)];
          }
        }
        if (this.chance(0.07)) return; // never acknowledged: an overdue transfer for ever
        yield (day = this.after(day, this.int(1, 4)));
        yield [this.ev(stream, 'lead.transfer-acknowledged', { leadId, transferId, agency: to, acknowledgedOn: dateOf(day) }, this.actor(to))];
        yield (day = this.after(day, this.int(2, 15)));
        const r = this.rng();
        if (r < 0.65 || hops >= 2) {
          yield [this.ev(stream, 'lead.transfer-accepted', { leadId, transferId, agency: to, acceptedOn: dateOf(day) }, this.actor(to))];
          holder = to;
          break;
        }
        if (r < 0.85) {
          const next = `${leadId}-T${hops + 2}`;
          const onward = this.other(to);
          yield [this.ev(stream, 'lead.transfer-forwarded', { leadId, transferId, nextTransferId: next, fromAgency: to, toAgency: onward, letterNo: `转〔${yearOf(day)}〕${n}号`, reason: '转送有管辖权单位', forwardedOn: dateOf(day) }, this.actor(to))];
          from = to;
          to = onward;
          transferId = next;
          hops++;
          continue;
        }
        yield [this.ev(stream, 'lead.transfer-returned', { leadId, transferId, agency: to, toAgency: reporting, reason: '不属于本单位管辖', returnedOn: dateOf(day) }, this.actor(to))];
        holder = reporting;
        break;
      }
    }

    // 处置 (85%): the other 15% stay undecided — overdue disposition clocks
    if (!this.chance(0.85)) return;
    const r = this.rng();
    let method: 'talk-inquiry' | 'preliminary-verification' | 'hold-pending' | 'close' = r < 0.35 ? 'talk-inquiry' : r < 0.75 ? 'preliminary-verification' : r < 0.85 ? 'hold-pending' : 'close';
    yield (day = this.after(day, this.int(5, 40)));
    yield [this.ev(stream, 'lead.disposition-decided', { leadId, method, rationale: '经集体研究', agency: holder, decidedOn: dateOf(day) }, this.actor(holder))];
    if (method === 'hold-pending' && this.chance(0.4)) {
      // 暂存待查, later taken up again
      method = 'preliminary-verification';
      yield (day = this.after(day, this.int(30, 180)));
      yield [this.ev(stream, 'lead.disposition-decided', { leadId, method, rationale: '发现新的问题线索', agency: holder, decidedOn: dateOf(day) }, this.actor(holder))];
    }
    if (method !== 'talk-inquiry' && method !== 'preliminary-verification') return;
    const due = this.after(day, method === 'talk-inquiry' ? 30 : 90);
    const conclusion = this.after(day, this.int(15, method === 'talk-inquiry' ? 50 : 130));
    if (conclusion > due && this.chance(0.5)) {
      yield (day = this.after(due, -3));
      yield [this.ev(stream, 'lead.disposition-reminder-sent', { leadId, method, step: 'before-3', dueOn: dateOf(due), agency: holder, ref: ledgerNo, title, remindedOn: dateOf(day) }, SYSTEM)];
      if (conclusion > due + 10) {
        yield (day = workday(due + 10));
        yield [this.ev(stream, 'lead.disposition-escalated', { leadId, method, step: 'after-10', dueOn: dateOf(due), agency: holder, ref: ledgerNo, title, level: 1, toRole: 'group-leader', daysOverdue: 10, escalatedOn: dateOf(day) }, SYSTEM)];
      }
    }
    if (!this.chance(0.85)) return; // still under way: an open conclusion clock
    yield (day = conclusion);
    yield [this.ev(stream, 'lead.disposition-concluded', { leadId, method, conclusion: this.chance(0.6) ? '问题基本属实' : '问题部分属实', concludedOn: dateOf(day) }, this.actor(holder))];

    // 立案 (from 初核 mostly): the case is its own item from here
    if (!this.chance(method === 'preliminary-verification' ? 0.8 : 0.4)) return;
    yield (day = this.after(day, this.int(3, 20)));
    const c = ++this.ids.case;
    const caseId = `C${c}`;
    const caseYear = yearOf(day);
    const caseSeq = this.nextSeq('case', caseYear);
    const caseNo = `AJ-${caseYear}-${String(caseSeq).padStart(4, '0')}`;
    const major = this.chance(0.2);
    const leadAgency = holder;
    this.counts.cases++;
    yield [
      this.ev(streams.ledger('case', caseYear), 'ledger.number-assigned', { ledger: 'case', year: caseYear, seq: caseSeq, number: caseNo, itemId: caseId }, office),
      this.ev(
        streams.case(caseId),
        'case.filed',
        {
          caseId,
          caseNo,
          title: `${subject.name}${this.pick(['违纪违法案', '严重违纪违法案', '违纪案'])}`,
          leadIds: [leadId],
          leads: [{ leadId, ledgerNo, source: 'petition', allegation: '见线索登记', subject, receivedOn: dateOf(received), disposition: { method, rationale: '经集体研究', decidedOn: dateOf(day) } }],
          subjects: [subject],
          leadAgency,
          coAgencies: this.chance(0.5) ? [this.other(leadAgency)] : [],
          filedOn: dateOf(day),
          major,
          difficult: this.chance(0.15),
        },
        office,
      ),
      this.ev(stream, 'lead.converted-to-case', { leadId, caseId, caseNo, convertedOn: dateOf(day) }, office),
    ];
    this.advance(this.caseLife(caseId, caseNo, subject.name, leadAgency, major, day));
  }

  private *caseLife(caseId: string, caseNo: string, person: string, agency: string, major: boolean, filed: number): Life {
    const stream = streams.case(caseId);
    const office = this.actor('discipline-commission');
    let day = filed;
    let recovered = 0;
    const audit = function* (this: HistoryGenerator): Generator<Planned[], void, void> {
      // case files are read (and the read recorded) now and then; no projection handles these
      if (this.chance(0.2)) {
        yield [this.ev(streams.accessAudit(dateOf(this.now)), 'audit.access-recorded', { subjectKind: 'case', subjectId: caseId, action: 'read', route: 'GET /api/cases/:id' }, office)];
      }
    }.bind(this);
    if (this.chance(0.15)) {
      yield (day = this.after(day, this.int(5, 30)));
      yield [this.ev(stream, 'case.flags-changed', { caseId, major: !major, difficult: false, reason: '案情变化', changedOn: dateOf(day) }, office)];
      major = !major;
    }
    const stages = ['verification', 'investigation', 'review'] as const;
    const reports = this.int(2, 5);
    for (let i = 0; i < reports; i++) {
      yield (day = this.after(day, this.int(15, major ? 30 : 60)));
      yield [this.ev(stream, 'case.progress-reported', { caseId, reportId: `${caseId}-P${i + 1}`, stage: stages[Math.min(i, 2)] as (typeof stages)[number], summary: '案件查办进展', agency, reportedOn: dateOf(day) }, this.actor(agency))];
      yield* audit();
    }
    if (this.chance(0.55)) {
      const recoveries = this.int(1, 3);
      for (let i = 1; i <= recoveries; i++) {
        yield (day = this.after(day, this.int(5, 40)));
        const amountFen = Math.round(10 ** (4 + this.rng() * 4)); // ¥100 … ¥1,000,000
        const category = this.pick(['confiscation', 'restitution', 'fine'] as const);
        const by = this.pick(['discipline-commission', 'procuratorate', 'finance-bureau', 'court'] as const);
        recovered += amountFen;
        yield [this.ev(stream, 'case.loss-recovered', { caseId, recoveryId: `${caseId}-R${i}`, amountFen, category, agency: by, recoveredOn: dateOf(day) }, this.actor(by))];
        if (this.chance(0.12)) {
          yield (day = this.after(day, this.int(3, 30)));
          const deltaFen = -Math.floor(amountFen * this.rng() * 0.5);
          recovered += deltaFen;
          yield [this.ev(stream, 'case.loss-recovery-corrected', { caseId, recoveryId: `${caseId}-R${i}`, correctionId: `${caseId}-K${i}`, deltaFen, correctedAmountFen: amountFen + deltaFen, category, agency: by, recoveredOn: dateOf(day), reason: '重复登记', correctedOn: dateOf(day) }, office)];
        }
      }
    }
    if (this.chance(0.8)) {
      const sanctions = this.chance(0.3) ? 2 : 1;
      for (let i = 1; i <= sanctions; i++) {
        yield (day = this.after(day, this.int(5, 30)));
        const kind = this.pick(['party-discipline', 'government-discipline', 'admonishment', 'organizational-handling'] as const);
        const level = kind === 'party-discipline' ? this.pick(['warning', 'serious-warning', 'removal-from-party-post', 'probation', 'expulsion']) : kind === 'government-discipline' ? this.pick(['warning', 'demerit', 'major-demerit', 'demotion', 'dismissal-from-post']) : undefined;
        yield [this.ev(stream, 'case.sanction-imposed', { caseId, sanctionId: `${caseId}-S${i}`, personName: person, kind, ...(level ? { level } : {}), decidedOn: dateOf(day), agency: 'discipline-commission' }, office)];
      }
    }
    if (this.chance(0.25)) this.advance(this.supervisionLife('leader-instruction', `督办${caseNo}案件查办`, agency, { caseId }));
    if (major && this.chance(0.5)) this.advance(this.bulletinLife(caseId, caseNo, person, day, recovered));
    if (this.chance(0.25)) {
      yield (day = this.after(day, this.int(10, 60)));
      yield [this.ev(stream, 'case.transferred-to-judiciary', { caseId, toAgency: 'procuratorate', summary: '涉嫌职务犯罪', transferredOn: dateOf(day) }, office)];
      if (this.chance(0.8)) {
        yield (day = this.after(day, this.int(60, 240)));
        yield [this.ev(stream, 'case.court-result-recorded', { caseId, result: this.pick(['判处有期徒刑三年', '判处有期徒刑一年六个月，缓刑二年', '判处有期徒刑五年，并处罚金']), decidedOn: dateOf(day) }, this.actor('court'))];
      }
    }
    if (this.chance(0.85)) {
      yield (day = this.after(day, this.int(10, 60)));
      yield [this.ev(stream, 'case.closed', { caseId, summary: '结案', closedOn: dateOf(day) }, office)];
      yield* audit();
    }
  }

  private *supervisionLife(origin: 'meeting-decision' | 'leader-instruction' | 'office', title: string, assignee: string, link: { caseId?: string; leadId?: string }): Life {
    const s = ++this.ids.item;
    const itemId = `S${s}`;
    const stream = streams.supervision(itemId);
    const office = this.actor('discipline-commission');
    let day = this.after(this.now, this.int(1, 10));
    yield day;
    const year = yearOf(day);
    const seq = this.nextSeq('supervision', year);
    const itemNo = `DB-${year}-${String(seq).padStart(4, '0')}`;
    let due = this.after(day, this.int(20, 90));
    this.counts.supervisionItems++;
    yield [
      this.ev(streams.ledger('supervision', year), 'ledger.number-assigned', { ledger: 'supervision', year, seq, number: itemNo, itemId }, office),
      this.ev(stream, 'supervision.opened', { itemId, itemNo, title, origin, assigneeAgency: assignee, dueOn: dateOf(due), ...link, openedOn: dateOf(day) }, office),
    ];
    const notes = this.int(1, 3);
    for (let i = 1; i <= notes; i++) {
      yield (day = this.after(day, this.int(5, 20)));
      yield [this.ev(stream, 'supervision.progress-noted', { itemId, noteId: `${itemId}-N${i}`, note: '正在推进', agency: assignee, notedOn: dateOf(day) }, this.actor(assignee))];
    }
    if (this.chance(0.3)) {
      yield (day = Math.max(day, this.after(due, -5)));
      const newDue = this.after(due, 30);
      yield [this.ev(stream, 'supervision.extension-requested', { itemId, requestId: `${itemId}-E1`, currentDueOn: dateOf(due), newDueOn: dateOf(newDue), reason: '情况复杂', requestedOn: dateOf(day) }, this.actor(assignee))];
      yield (day = this.after(day, 2));
      if (this.chance(0.7)) {
        yield [this.ev(stream, 'supervision.extension-approved', { itemId, requestId: `${itemId}-E1`, previousDueOn: dateOf(due), newDueOn: dateOf(newDue), approvedOn: dateOf(day) }, LEADER)];
        due = newDue;
      } else {
        yield [this.ev(stream, 'supervision.extension-refused', { itemId, requestId: `${itemId}-E1`, reason: '理由不充分', refusedOn: dateOf(day) }, LEADER)];
      }
    }
    const ref = itemNo;
    if (this.chance(0.4)) {
      yield (day = Math.max(day, this.after(due, -3)));
      yield [this.ev(stream, 'supervision.reminder-sent', { itemId, step: 'before-3', dueOn: dateOf(due), agency: assignee, ref, title, remindedOn: dateOf(day) }, SYSTEM)];
    }
    const late = this.chance(0.25);
    if (late) {
      yield (day = Math.max(day, due + 5));
      yield [this.ev(stream, 'supervision.escalated', { itemId, step: 'after-5', dueOn: dateOf(due), agency: assignee, ref, title, level: 1, toRole: 'group-leader', daysOverdue: day - due, escalatedOn: dateOf(day) }, SYSTEM)];
    }
    if (!this.chance(0.85)) return; // never reported: overdue item
    let round = 1;
    for (;;) {
      yield (day = workday(Math.max(day, this.after(due, late ? this.int(6, 20) : -this.int(1, 10))) + 1));
      const resultId = `${itemId}-R${round}`;
      yield [this.ev(stream, 'supervision.result-reported', { itemId, resultId, summary: '已按要求办结', agency: assignee, reportedOn: dateOf(day) }, this.actor(assignee))];
      yield (day = this.after(day, this.int(1, 7)));
      if (round < 3 && this.chance(0.2)) {
        yield [this.ev(stream, 'supervision.result-sent-back', { itemId, resultId, comment: '整改不到位', reviewedOn: dateOf(day) }, office)];
        due = this.after(day, 15);
        round++;
        continue;
      }
      yield [this.ev(stream, 'supervision.result-accepted', { itemId, resultId, comment: '同意办结', reviewedOn: dateOf(day) }, office)];
      break;
    }
    yield (day = this.after(day, this.int(0, 5)));
    yield [this.ev(stream, 'supervision.closed', { itemId, closedOn: dateOf(day) }, office)];
  }

  private *bulletinLife(caseId: string, caseNo: string, person: string, from: number, recoveredFen: number): Life {
    const b = ++this.ids.bulletin;
    const bulletinId = `B${b}`;
    const stream = streams.bulletin(bulletinId);
    const office = this.actor('discipline-commission');
    const drafter = { userId: 'u-office', username: 'office', name: '办公室' };
    const content = (title: string) => ({
      title,
      sections: { subject: `${person}，${caseNo}`, source: '信访举报', allegations: '反映其违纪违法问题', disposition: '经初步核实后立案审查调查', facts: '经查，问题属实', measures: '已采取留置措施', sanctions: '给予党纪政务处分', recovered: `挽回经济损失${(recoveredFen / 100).toFixed(2)}元`, nextSteps: '继续跟进' },
    });
    let day = this.after(from, this.int(3, 15));
    yield day;
    this.counts.bulletins++;
    yield [this.ev(stream, 'bulletin.drafted', { bulletinId, caseId, caseNo, content: content(`关于${person}案的专报`), drafter, draftedOn: dateOf(day), basis: { caseVersion: 3, recoveredFen } }, office)];
    let revision = 1;
    if (this.chance(0.4)) {
      yield (day = this.after(day, this.int(1, 5)));
      revision = 2;
      yield [this.ev(stream, 'bulletin.draft-revised', { bulletinId, revision, content: content(`关于${person}案的专报（修改稿）`), revisedOn: dateOf(day), approvalLapsed: false }, office)];
    }
    yield (day = this.after(day, this.int(1, 5)));
    yield [this.ev(stream, 'bulletin.approved', { bulletinId, revision, approver: { userId: 'u-leader', username: 'leader', name: '组长' }, approvedOn: dateOf(day) }, LEADER)];
    yield (day = this.after(day, this.int(0, 3)));
    const year = yearOf(day);
    const seq = this.nextSeq('bulletin', year);
    const issueNo = `〔${year}〕第${seq}期`;
    yield [
      this.ev(streams.bulletins(year), 'bulletin-register.number-assigned', { year, seq, issueNo, bulletinId }, office),
      this.ev(stream, 'bulletin.issued', { bulletinId, revision, year, seq, issueNo, issuedOn: dateOf(day), issuer: '组长', distribution: { mainTo: ['县委'], copyTo: ['市纪委监委'] } }, office),
    ];
    if (this.chance(0.05)) {
      yield (day = this.after(day, this.int(5, 30)));
      const correctionId = `B${++this.ids.bulletin}`;
      this.counts.bulletins++;
      yield [
        this.ev(streams.bulletin(correctionId), 'bulletin.correction-drafted', { bulletinId: correctionId, caseId, caseNo, correctsBulletinId: bulletinId, correctsIssueNo: issueNo, reason: '挽回损失金额更正', content: content(`关于${person}案专报的更正`), drafter, draftedOn: dateOf(day) }, office),
      ];
    }
  }

  /** 例会 once each half-year (in March/April or September/October) and a 专题会议 about every six weeks. */
  private *meetingsSchedule(): Life {
    let lastRegular = '';
    for (let day = this.fromDay + 20; day <= this.lastDay; day += 45) {
      yield workday(day);
      const date = dateOf(this.now);
      const month = Number(date.slice(5, 7));
      const half = `${date.slice(0, 4)}-H${month <= 6 ? 1 : 2}`;
      const regular = [3, 4, 9, 10].includes(month) && half !== lastRegular;
      if (regular) lastRegular = half;
      this.advance(this.meetingLife(regular ? 'regular' : 'special'));
    }
  }

  private *meetingLife(kind: 'regular' | 'special'): Life {
    const m = ++this.ids.meeting;
    const meetingId = `M${m}`;
    const stream = streams.meeting(meetingId);
    const office = this.actor('discipline-commission');
    let day = this.now;
    const held = this.after(day, 14);
    const heldOn = dateOf(held);
    const halfYear = `${heldOn.slice(0, 4)}-H${Number(heldOn.slice(5, 7)) <= 6 ? 1 : 2}`;
    this.counts.meetings++;
    yield [this.ev(stream, 'meeting.scheduled', { meetingId, kind, title: kind === 'regular' ? `${halfYear}联席会议例会` : '专题会议', scheduledOn: heldOn, topicCutoffOn: dateOf(held - 5), ...(kind === 'regular' ? { halfYear } : {}) }, office)];
    const topics = this.int(2, 4);
    for (let t = 1; t <= topics; t++) {
      yield (day = this.after(day, this.int(1, 3)));
      const agency = this.pick(AGENCY_CODES);
      const late = day > held - 5;
      yield [this.ev(stream, 'meeting.topic-submitted', { meetingId, topicId: `${meetingId}-T${t}`, agency, title: '议题', summary: '提请会议研究', submittedOn: dateOf(day), late, ...(late ? { justification: '情况紧急' } : {}) }, this.actor(agency))];
    }
    yield (day = Math.max(day, held));
    const members = SEED_AGENCIES.map((a) => a.code);
    const attendees = members.filter(() => this.chance(0.9));
    yield [this.ev(stream, 'meeting.convened', { meetingId, kind, heldOn, attendees, expectedMembers: members, principalLeader: 'discipline-commission' }, office)];
    const briefed = this.recentLeads.filter((l) => l !== undefined).slice(0, this.int(1, 3));
    for (const leadId of briefed) {
      yield [this.ev(stream, 'meeting.lead-briefed', { meetingId, leadId, agency: 'discipline-commission', briefedOn: heldOn }, office)];
    }
    const decisions = this.int(1, 2);
    for (let d = 1; d <= decisions; d++) {
      const decisionId = `${meetingId}-D${d}`;
      const assignee = this.pick(AGENCY_CODES);
      const actionItems = [{ actionId: `${decisionId}-A1`, title: '落实会议决定', assigneeAgency: assignee, dueOn: dateOf(held + 60) }];
      yield [this.ev(stream, 'meeting.decision-proposed', { meetingId, decisionId, title: '关于加强线索移送衔接的决定', topicId: `${meetingId}-T1`, actionItems, proposedOn: heldOn }, office)];
      let agree = 0;
      const ordered = [...attendees.filter((a) => a !== 'discipline-commission'), ...attendees.filter((a) => a === 'discipline-commission')];
      for (const agency of ordered) {
        const position = this.chance(0.9) ? 'agree' : 'defer';
        if (position === 'agree') agree++;
        yield [this.ev(stream, 'meeting.statement-recorded', { meetingId, decisionId, agency, position, reason: position === 'agree' ? '同意' : '建议进一步研究', isPrincipalLeader: agency === 'discipline-commission' }, this.actor(agency))];
      }
      const passed = agree * 2 > members.length;
      yield [this.ev(stream, 'meeting.decision-taken', { meetingId, decisionId, passed, counts: { agree, disagree: 0, defer: attendees.length - agree, present: attendees.length, shouldAttend: members.length }, actionItems: passed ? actionItems : [], takenOn: heldOn }, office)];
      if (passed) this.advance(this.supervisionLife('meeting-decision', '落实会议决定', assignee, {}));
    }
    yield (day = this.after(held, this.int(2, 7)));
    yield [this.ev(stream, 'meeting.minutes-recorded', { meetingId, minutes: '会议纪要', recordedOn: dateOf(day) }, office)];
    yield (day = this.after(day, 1));
    yield [this.ev(stream, 'meeting.closed', { meetingId, closedOn: dateOf(day) }, office)];
  }

  /** Each year's public holidays, declared in the last days of December (one correction now and then). */
  private *calendarSchedule(): Life {
    const office = this.actor('discipline-commission');
    for (let year = yearOf(this.fromDay); ; year++) {
      const declare = Math.max(this.fromDay, toDay(`${year - 1}-12-20`));
      if (declare > this.lastDay) return;
      yield declare;
      const events: Planned[] = HOLIDAYS.map(([md, name]) => this.ev('calendar', 'calendar.holiday-declared', { date: `${year}-${md}`, name }, office));
      events.push(this.ev('calendar', 'calendar.working-day-declared', { date: `${year}-09-28`, name: '国庆节调休' }, office));
      if (year % 3 === 0) events.push(this.ev('calendar', 'calendar.day-cleared', { date: `${year}-05-03` }, office));
      yield events;
    }
  }

  private *groupSetup(): Life {
    const office = this.actor('discipline-commission');
    yield this.fromDay;
    yield SEED_AGENCIES.map((a) => this.ev('group', 'group.member-joined', { agency: a.code, name: a.name, groupRole: a.groupRole, joinedOn: dateOf(this.fromDay) }, office));
    if (toDay('2023-03-01') <= this.fromDay) return;
    yield toDay('2023-03-01');
    yield [this.ev('group', 'group.member-role-changed', { agency: 'public-security', groupRole: 'member', changedOn: '2023-03-01' }, office)];
  }
}

function before(a: Waiting, b: Waiting): boolean {
  return a.day < b.day || (a.day === b.day && a.seq < b.seq);
}

/** The history as batches of appends (see HistoryGenerator). */
export function historyBatches(options: HistoryOptions & { batchEvents?: number } = {}): Generator<StreamAppend[], void, void> {
  return new HistoryGenerator(options).batches(options.batchEvents);
}

export interface LoadedHistory {
  /** the store's head after the load */
  head: number;
  /** events appended by this call */
  events: number;
  /** appendMulti calls (one transaction each) */
  transactions: number;
  ms: number;
  /** the generator's cumulative counts (all loads so far) */
  counts: HistoryCounts;
}

/**
 * Append a generated history to `store`: one appendMulti (one transaction) per batch of `batchEvents`
 * (default 5000). Pass `generator` to continue an earlier load (e.g. +10% for a catch-up), with `events`
 * then meaning "this many more".
 */
export async function loadHistory(
  store: EventStore,
  options: HistoryOptions & { batchEvents?: number; generator?: HistoryGenerator; onProgress?: (loaded: number) => void } = {},
): Promise<LoadedHistory> {
  const started = performance.now();
  const generator = options.generator ?? new HistoryGenerator(options);
  const before = generator.counts.events;
  let transactions = 0;
  let head = 0;
  let lastReport = 0;
  for (const batch of generator.batches(options.batchEvents ?? 5000, options.generator ? (options.events ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY)) {
    const results = await store.appendMulti(batch);
    transactions++;
    for (const r of results) if (r.lastPosition > head) head = r.lastPosition;
    const loaded = generator.counts.events - before;
    if (options.onProgress && loaded - lastReport >= 100_000) {
      lastReport = loaded;
      options.onProgress(loaded);
    }
  }
  return { head: head || (await store.headPosition()), events: generator.counts.events - before, transactions, ms: performance.now() - started, counts: generator.counts };
}
