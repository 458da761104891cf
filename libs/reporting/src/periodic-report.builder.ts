import type { LocalDate, PeriodicReportFigures, ReportCountRow, ReportMoneyRow, WorkingDayCalendar } from '@coord/domain';
import { businessDateOf, type ReportEvent } from './report-event';
import {
  METHOD_LABELS,
  RECOVERY_LABELS,
  SANCTION_KIND_LABELS,
  SANCTION_LEVEL_LABELS,
  SEED_AGENCY_NAMES,
  SOURCE_LABELS,
  TRANSFER_OUTCOME_LABELS,
} from './report-labels';
import type { ReportPeriod } from './report-period';

/** The working-day clocks a report measures transfers against (a subset of the app's ClockConfig). */
export interface ReportClocks {
  transferAcknowledgeWorkingDays: number;
  transferDecisionWorkingDays: number;
}

export interface PeriodicReportOptions {
  period: ReportPeriod;
  calendar: WorkingDayCalendar;
  clocks: ReportClocks;
  /** display names by agency code (the group's members ever); seed names otherwise */
  agencyNames?: Readonly<Record<string, string>>;
}

interface TransferTrack {
  toAgency: string;
  transferredOn: LocalDate;
  acknowledgedOn?: LocalDate;
  decidedOn?: LocalDate;
  outcome?: 'accepted' | 'returned' | 'forwarded';
}

interface ItemTrack {
  dueOn: LocalDate;
  closedOn?: LocalDate;
}

type Data = Record<string, unknown>;
const str = (d: Data, k: string): string => String(d[k] ?? '');

class Counter {
  private readonly counts = new Map<string, number>();
  add(key: string, n = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + n);
  }
  rows(label: (key: string) => string): ReportCountRow[] {
    return [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, count]) => ({ key, label: label(key), count }));
  }
}

class MoneyCounter {
  private readonly sums = new Map<string, { fen: number; cases: Set<string> }>();
  add(key: string, fen: number, caseId: string): void {
    let s = this.sums.get(key);
    if (!s) this.sums.set(key, (s = { fen: 0, cases: new Set() }));
    s.fen += fen;
    s.cases.add(caseId);
  }
  rows(label: (key: string) => string): ReportMoneyRow[] {
    return [...this.sums.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, s]) => ({ key, label: label(key), totalFen: s.fen, caseCount: s.cases.size }));
  }
}

/**
 * 定期报告 figures, folded incrementally from the event log: feed every event once, in log order, with
 * `add`, then read `figures()`. Everything is decided by BUSINESS dates in the payloads, so a report for
 * H1 "as of 30 June" gives the same figures whether a step was entered on 30 June or in October — and a
 * step dated after asOf is ignored even if it was entered before the report was asked for.
 *
 * Memory: counters, plus per-item state only where a figure needs one — transfers begun inside the period
 * (their timeliness), supervision items open at some point in or before the period (overdue as of asOf;
 * items closed before the period are dropped), the cases that recovered money in the period (distinct
 * count), and meeting dates. None of it grows with the number of events, only with the items of the
 * period (supervision items: with the items not closed before the period).
 *
 * Rules:
 *  - leads: lead.registered with receivedOn in the period; by source and by reporting agency;
 *  - transfers: lead.transferred / lead.transfer-forwarded (the onward transfer) dated in the period;
 *    acknowledgement due `transferAcknowledgeWorkingDays` working days after the transfer, decision
 *    (accept / return / forward) due `transferDecisionWorkingDays` after the acknowledgement (the same
 *    clocks as the overdue follow-ups), on the editable working-day calendar; a transfer still open at
 *    asOf is "awaiting" until its deadline passes, then "overdue";
 *  - dispositions: lead.disposition-decided dated in the period, by method; concluded = concluded in it;
 *  - cases: filed / closed in the period; openAsOf = filed ≤ asOf minus closed ≤ asOf (all time);
 *  - sanctions by kind and level, transfers to judicial organs by receiving organ, dated in the period;
 *  - recovered losses: each recovery whose recoveredOn is in the period, plus each correction of such a
 *    recovery made by asOf — a correction is booked in its ORIGINAL recovery's period, to the fen;
 *  - supervision items: opened / completed (closed) in the period; completedLate = closed after the due
 *    date in force; overdue = not closed at asOf and due before asOf (extensions approved by asOf count);
 *  - meetings: `meeting.convened` held in the period (kind regular / special) and `meeting.decision-taken`
 *    of those meetings (passed counted apart); zero when the log has none.
 */
export class PeriodicReportBuilder {
  private readonly from: LocalDate;
  private readonly to: LocalDate;
  private readonly asOf: LocalDate;
  private readonly names: Readonly<Record<string, string>>;

  private leadsTotal = 0;
  private leadsImportant = 0;
  private readonly leadsBySource = new Counter();
  private readonly leadsByAgency = new Counter();

  private readonly transfers = new Map<string, TransferTrack>();

  private dispositions = 0;
  private dispositionsConcluded = 0;
  private readonly dispositionsByMethod = new Counter();

  private casesFiled = 0;
  private casesClosed = 0;
  private casesMajor = 0;
  private casesDifficult = 0;
  private casesFiledToDate = 0;
  private casesClosedToDate = 0;
  private readonly casesByAgency = new Counter();

  private sanctions = 0;
  private readonly sanctionsByKind = new Counter();
  private readonly sanctionsByLevel = new Counter();
  private judicial = 0;
  private readonly judicialByAgency = new Counter();

  private recoveredFen = 0;
  private recoveryEntries = 0;
  private readonly recoveryCases = new Set<string>();
  private readonly recoveredByAgency = new MoneyCounter();
  private readonly recoveredByCategory = new MoneyCounter();
  private recoveredFenToDate = 0;
  private since: LocalDate | null = null;

  private readonly items = new Map<string, ItemTrack>();
  private itemsOpened = 0;
  private itemsCompleted = 0;
  private itemsCompletedLate = 0;

  private readonly meetingsInPeriod = new Map<string, string>(); // meetingId → kind
  private decisions = 0;
  private decisionsPassed = 0;

  constructor(private readonly options: PeriodicReportOptions) {
    ({ from: this.from, to: this.to, asOf: this.asOf } = options.period);
    this.names = { ...SEED_AGENCY_NAMES, ...(options.agencyNames ?? {}) };
  }

  private inPeriod(date: LocalDate | undefined): date is LocalDate {
    return date !== undefined && date >= this.from && date <= this.to && date <= this.asOf;
  }

  private known(date: LocalDate | undefined): date is LocalDate {
    return date !== undefined && date <= this.asOf;
  }

  add(e: ReportEvent): void {
    const d = e.data as Data;
    const date = businessDateOf(e);
    switch (e.type) {
      case 'lead.registered':
        if (!this.inPeriod(date)) return;
        this.leadsTotal++;
        if (d.important === true) this.leadsImportant++;
        this.leadsBySource.add(str(d, 'source'));
        this.leadsByAgency.add(str(d, 'reportingAgency'));
        return;
      case 'lead.transferred':
        if (this.inPeriod(date)) this.transfers.set(str(d, 'transferId'), { toAgency: str(d, 'toAgency'), transferredOn: date });
        return;
      case 'lead.transfer-acknowledged': {
        const t = this.transfers.get(str(d, 'transferId'));
        if (t && this.known(date) && t.acknowledgedOn === undefined) t.acknowledgedOn = date;
        return;
      }
      case 'lead.transfer-accepted':
      case 'lead.transfer-returned':
      case 'lead.transfer-forwarded': {
        const t = this.transfers.get(str(d, 'transferId'));
        if (t && this.known(date) && t.decidedOn === undefined) {
          t.decidedOn = date;
          t.outcome = e.type === 'lead.transfer-accepted' ? 'accepted' : e.type === 'lead.transfer-returned' ? 'returned' : 'forwarded';
        }
        if (e.type === 'lead.transfer-forwarded' && this.inPeriod(date)) {
          this.transfers.set(str(d, 'nextTransferId'), { toAgency: str(d, 'toAgency'), transferredOn: date });
        }
        return;
      }
      case 'lead.disposition-decided':
        if (!this.inPeriod(date)) return;
        this.dispositions++;
        this.dispositionsByMethod.add(str(d, 'method'));
        return;
      case 'lead.disposition-concluded':
        if (this.inPeriod(date)) this.dispositionsConcluded++;
        return;
      case 'case.filed':
        if (this.known(date)) {
          this.casesFiledToDate++;
          if (this.since === null || date < this.since) this.since = date;
        }
        if (!this.inPeriod(date)) return;
        this.casesFiled++;
        if (d.major === true) this.casesMajor++;
        if (d.difficult === true) this.casesDifficult++;
        this.casesByAgency.add(str(d, 'leadAgency'));
        return;
      case 'case.closed':
        if (this.known(date)) this.casesClosedToDate++;
        if (this.inPeriod(date)) this.casesClosed++;
        return;
      case 'case.sanction-imposed': {
        if (!this.inPeriod(date)) return;
        const kind = str(d, 'kind');
        this.sanctions++;
        this.sanctionsByKind.add(kind);
        this.sanctionsByLevel.add(`${kind}/${typeof d.level === 'string' && d.level ? d.level : '-'}`);
        return;
      }
      case 'case.transferred-to-judiciary':
        if (!this.inPeriod(date)) return;
        this.judicial++;
        this.judicialByAgency.add(str(d, 'toAgency'));
        return;
      case 'case.loss-recovered':
        this.book(d, Number(d.amountFen), date, true);
        return;
      case 'case.loss-recovery-corrected':
        // booked in the original recovery's period, known from the day the correction was made
        if (this.known(date)) this.book(d, Number(d.deltaFen), str(d, 'recoveredOn'), false);
        return;
      case 'supervision.opened':
        if (!this.known(date)) return;
        this.items.set(str(d, 'itemId'), { dueOn: str(d, 'dueOn') });
        if (this.inPeriod(date)) this.itemsOpened++;
        return;
      case 'supervision.extension-approved': {
        const item = this.items.get(str(d, 'itemId'));
        if (item && this.known(date)) item.dueOn = str(d, 'newDueOn');
        return;
      }
      case 'supervision.closed': {
        const id = str(d, 'itemId');
        const item = this.items.get(id);
        if (!item || !this.known(date)) return;
        item.closedOn = date;
        if (this.inPeriod(date)) {
          this.itemsCompleted++;
          if (date > item.dueOn) this.itemsCompletedLate++;
        }
        if (date < this.from) this.items.delete(id); // can no longer count for this period
        return;
      }
      case 'meeting.convened':
        if (this.inPeriod(date)) this.meetingsInPeriod.set(str(d, 'meetingId') || e.streamId, str(d, 'kind'));
        return;
      case 'meeting.decision-taken': {
        // a decision belongs to the meeting that took it (its stream, or meetingId in the payload)
        const meetingId = typeof d.meetingId === 'string' ? d.meetingId : e.streamId.replace(/^meeting-/, '');
        if (!this.meetingsInPeriod.has(meetingId) && !this.meetingsInPeriod.has(e.streamId)) return;
        this.decisions++;
        if (d.passed === true) this.decisionsPassed++;
        return;
      }
      default:
        return;
    }
  }

  private book(d: Data, fen: number, recoveredOn: LocalDate | undefined, isEntry: boolean): void {
    if (!Number.isSafeInteger(fen) || recoveredOn === undefined) return;
    if (recoveredOn <= this.asOf) {
      this.recoveredFenToDate += fen;
      if (this.since === null || recoveredOn < this.since) this.since = recoveredOn;
    }
    if (!this.inPeriod(recoveredOn)) return;
    const caseId = str(d, 'caseId');
    this.recoveredFen += fen;
    if (isEntry) this.recoveryEntries++;
    this.recoveryCases.add(caseId);
    this.recoveredByAgency.add(str(d, 'agency'), fen, caseId);
    this.recoveredByCategory.add(str(d, 'category'), fen, caseId);
  }

  figures(): PeriodicReportFigures {
    const { calendar, clocks, period } = this.options;
    const agency = (k: string) => this.names[k] ?? k;
    const t = {
      total: 0,
      acknowledgedInTime: 0,
      acknowledgedLate: 0,
      awaitingAcknowledgement: 0,
      acknowledgementOverdue: 0,
      decidedInTime: 0,
      decidedLate: 0,
      awaitingDecision: 0,
      decisionOverdue: 0,
    };
    const outcomes = new Counter();
    const receiving = new Counter();
    for (const tr of this.transfers.values()) {
      t.total++;
      receiving.add(tr.toAgency);
      outcomes.add(tr.outcome ?? 'pending');
      const ackDue = calendar.addWorkingDays(tr.transferredOn, clocks.transferAcknowledgeWorkingDays);
      if (tr.acknowledgedOn !== undefined) {
        if (tr.acknowledgedOn <= ackDue) t.acknowledgedInTime++;
        else t.acknowledgedLate++;
      } else if (tr.decidedOn === undefined) {
        if (this.asOf > ackDue) t.acknowledgementOverdue++;
        else t.awaitingAcknowledgement++;
      }
      // the decision clock runs from the acknowledgement (签收); a decision without one is measured from the transfer
      const decisionStart = tr.acknowledgedOn ?? tr.transferredOn;
      const decisionDue = calendar.addWorkingDays(decisionStart, clocks.transferDecisionWorkingDays);
      if (tr.decidedOn !== undefined) {
        if (tr.decidedOn <= decisionDue) t.decidedInTime++;
        else t.decidedLate++;
      } else if (tr.acknowledgedOn !== undefined) {
        if (this.asOf > decisionDue) t.decisionOverdue++;
        else t.awaitingDecision++;
      }
    }
    let overdue = 0;
    let openAsOf = 0;
    for (const item of this.items.values()) {
      if (item.closedOn !== undefined) continue;
      openAsOf++;
      if (this.asOf > item.dueOn) overdue++;
    }
    const regular = [...this.meetingsInPeriod.values()].filter((k) => k === 'regular').length;
    const levelLabel = (k: string) => {
      const [kind, level] = k.split('/') as [string, string];
      const kindLabel = SANCTION_KIND_LABELS[kind] ?? kind;
      return level === '-' ? kindLabel : `${kindLabel}·${SANCTION_LEVEL_LABELS[kind]?.[level] ?? level}`;
    };
    return {
      period: { kind: period.kind, from: period.from, to: period.to, asOf: period.asOf },
      leads: {
        total: this.leadsTotal,
        important: this.leadsImportant,
        bySource: this.leadsBySource.rows((k) => SOURCE_LABELS[k] ?? k),
        byAgency: this.leadsByAgency.rows(agency),
      },
      transfers: {
        ...t,
        byOutcome: outcomes.rows((k) => TRANSFER_OUTCOME_LABELS[k] ?? k),
        byReceivingAgency: receiving.rows(agency),
        clocks: { acknowledgeWorkingDays: clocks.transferAcknowledgeWorkingDays, decisionWorkingDays: clocks.transferDecisionWorkingDays },
      },
      dispositions: { total: this.dispositions, concluded: this.dispositionsConcluded, byMethod: this.dispositionsByMethod.rows((k) => METHOD_LABELS[k] ?? k) },
      cases: {
        filed: this.casesFiled,
        closed: this.casesClosed,
        major: this.casesMajor,
        difficult: this.casesDifficult,
        openAsOf: this.casesFiledToDate - this.casesClosedToDate,
        filedByAgency: this.casesByAgency.rows(agency),
      },
      sanctions: { total: this.sanctions, byKind: this.sanctionsByKind.rows((k) => SANCTION_KIND_LABELS[k] ?? k), byLevel: this.sanctionsByLevel.rows(levelLabel) },
      judicialTransfers: { total: this.judicial, byAgency: this.judicialByAgency.rows(agency) },
      recoveries: {
        totalFen: this.recoveredFen,
        entryCount: this.recoveryEntries,
        caseCount: this.recoveryCases.size,
        byAgency: this.recoveredByAgency.rows(agency),
        byCategory: this.recoveredByCategory.rows((k) => RECOVERY_LABELS[k] ?? k),
      },
      supervision: { opened: this.itemsOpened, completed: this.itemsCompleted, completedLate: this.itemsCompletedLate, overdue, openAsOf },
      meetings: { held: this.meetingsInPeriod.size, regular, special: this.meetingsInPeriod.size - regular, decisions: this.decisions, decisionsPassed: this.decisionsPassed },
      cumulative: { since: this.since, casesFiled: this.casesFiledToDate, recoveredFen: this.recoveredFenToDate },
    };
  }
}

/** Convenience for specs and small inputs: fold an array. The api streams the log through `add` instead. */
export function periodicReportOf(events: Iterable<ReportEvent>, options: PeriodicReportOptions): PeriodicReportFigures {
  const b = new PeriodicReportBuilder(options);
  for (const e of events) b.add(e);
  return b.figures();
}
