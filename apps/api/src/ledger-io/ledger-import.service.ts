import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  caseDecider,
  DomainError,
  leadAtFiling,
  leadDecider,
  ledgerDecider,
  ledgerImportDecider,
  membershipAsOf,
  nextLedgerNumber,
  streams,
  yearOf,
  type CaseState,
  type Decider,
  type DomainEvent,
  type ImportedRow,
  type ImportKind,
  type LeadState,
  type LocalDate,
  type Member,
} from '@coord/domain';
import {
  CommandHandler,
  deterministicEventId,
  EVENT_STORE,
  uuidV5,
  WrongExpectedVersionError,
  type EventStore,
  type NewEvent,
  type StreamAppend,
} from '@coord/event-store';
import { schemaVersionOf } from '@coord/platform';
import { parseCsv, parseXlsx, SEED_AGENCY_NAMES, validateLedger, type RawSheet, type RowError, type ValidatedLedger } from '@coord/reporting';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import type { HttpCommandMeta } from '../http/command-context';
import { InputProblem } from '../http/problem-details';

export interface ImportResult {
  batchId: string;
  written: boolean;
  imported: { leads: number; cases: number; recoveries: number };
  /** rows already imported by an earlier run (same original number / same content) */
  skipped: number;
  rows: ImportedRow[];
  position: number;
}

/** Ids of imported items follow from what identifies them in the old ledger, so a re-import finds them. */
export const importIds = {
  lead: (key: string) => uuidV5(`import:lead:${key}`),
  caseOf: (originalNo: string) => uuidV5(`import:case:${originalNo}`),
  caseLead: (originalNo: string) => uuidV5(`import:case-lead:${originalNo}`),
  recovery: (contentKey: string) => uuidV5(`import:recovery:${contentKey}`),
  batch: (sha256: string) => uuidV5(`import:batch:${sha256}`),
};

const MAX_ERRORS = 200;

interface PlannedStream {
  decider: Decider<unknown, unknown, DomainEvent>;
  state: unknown;
  version: number;
  events: NewEvent[];
}

/**
 * The whole import as ONE plan over many streams, decided in memory by the real deciders, then appended
 * with one appendMulti (all or nothing). The generic CommandHandler cannot express it: a plan there has
 * one step per stream, and an import numbers many items in the same yearly register and records a case's
 * filing, recoveries and closure in the same stream.
 */
class ImportPlan {
  private readonly planned = new Map<string, PlannedStream>();

  constructor(
    private readonly handler: CommandHandler,
    private readonly meta: HttpCommandMeta,
  ) {}

  async state<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, streamId: string): Promise<{ state: S; version: number }> {
    let p = this.planned.get(streamId);
    if (!p) {
      const loaded = await this.handler.load(decider, streamId);
      p = { decider: decider as unknown as PlannedStream['decider'], state: loaded.state, version: loaded.version, events: [] };
      this.planned.set(streamId, p);
    }
    return { state: p.state as S, version: p.version + p.events.length };
  }

  /** Decide on the planned state, evolve it, and keep the events (ids from the per-step command id). */
  async decide<C, S, E extends DomainEvent>(decider: Decider<C, S, E>, streamId: string, command: C, commandId: string): Promise<E[]> {
    const { state } = await this.state(decider, streamId);
    const p = this.planned.get(streamId) as PlannedStream;
    const events = decider.decide(command, state);
    let next = state;
    events.forEach((e, i) => {
      next = decider.evolve(next, e);
      const { userId, username, role, agency } = this.meta.ctx.actor;
      p.events.push({
        eventId: deterministicEventId(commandId, streamId, i),
        type: e.type,
        schemaVersion: schemaVersionOf(e.type),
        data: e.data,
        metadata: {
          occurredAt: this.meta.ctx.at,
          actor: agency === undefined ? { userId, username, role } : { userId, username, role, agency },
          correlationId: this.meta.correlationId,
          causationId: commandId,
        },
      });
    });
    p.state = next;
    return events;
  }

  appends(): StreamAppend[] {
    return [...this.planned.entries()].filter(([, p]) => p.events.length > 0).map(([streamId, p]) => ({ streamId, events: p.events, expectedVersion: p.version }));
  }
}

/**
 * 历史台账导入 (leads, cases, recoveries from XLSX/CSV). Three passes:
 *  1. parse and validate every row (formats, vocabularies, membership on the row's date) — all errors;
 *  2. dry-run every row through the deciders in memory — domain refusals become row errors too;
 *  3. only when both are clean, one atomic append of everything plus the import manifest.
 * Items keep their ORIGINAL business dates; each is numbered in the register of its original year (a
 * 2013 case becomes AJ-2013-000n after whatever that register already holds) and the manifest keeps the
 * old ledger's number next to ours. Ids derive from the original numbers (or row content), so importing
 * the same file again — or a file that repeats earlier rows — writes nothing for those rows.
 */
@Injectable()
export class LedgerImportService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly handler: CommandHandler,
    private readonly agencies: AgencyDirectory,
  ) {}

  async import(file: Buffer, opts: { kind?: ImportKind; fileName: string; csv: boolean }, meta: HttpCommandMeta): Promise<ImportResult> {
    const sheets = await this.parse(file, opts);
    const ledger = await this.validate(sheets, meta.ctx.today);
    if (ledger.errors.length > 0) throw this.problem(ledger.errors);
    const sha = createHash('sha256').update(file).digest('hex');
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.run(ledger, { fileName: opts.fileName, sha }, meta);
      } catch (e) {
        // a live registration took the next number of the same year's register meanwhile: plan again
        if (e instanceof WrongExpectedVersionError && attempt < 5) continue;
        throw e;
      }
    }
  }

  private async parse(file: Buffer, opts: { kind?: ImportKind; csv: boolean }): Promise<RawSheet[]> {
    try {
      if (opts.csv) {
        if (!opts.kind) throw new InputProblem(400, 'import-kind-required', 'CSV 文件须指定 kind（leads、cases 或 recoveries）', [{ field: 'kind', message: '必填' }]);
        return [parseCsv(file.toString('utf8'), opts.kind)];
      }
      return await parseXlsx(file, opts.kind);
    } catch (e) {
      if (e instanceof InputProblem) throw e;
      throw new InputProblem(422, 'import-unreadable', e instanceof Error ? e.message : '无法读取文件', [{ field: 'file', message: '无法读取' }]);
    }
  }

  private async validate(sheets: RawSheet[], today: LocalDate): Promise<ValidatedLedger> {
    const events = await this.agencies.events();
    const names = { ...SEED_AGENCY_NAMES, ...(await this.agencies.names()) };
    const byName = new Map(Object.entries(names).map(([code, name]) => [name, code]));
    const members = new Map<LocalDate, Member[]>();
    return validateLedger(sheets, {
      today,
      agencyCode: (s) => (names[s] !== undefined ? s : byName.get(s)),
      isMember: (code, on) => {
        let m = members.get(on);
        if (!m) members.set(on, (m = membershipAsOf(events, on)));
        return m.some((x) => x.agency === code);
      },
    });
  }

  private problem(errors: RowError[]): InputProblem {
    const shown = errors.slice(0, MAX_ERRORS);
    const more = errors.length > MAX_ERRORS ? `（仅列出前 ${MAX_ERRORS} 处）` : '';
    return new InputProblem(422, 'import-invalid', `导入文件有 ${errors.length} 处错误${more}，未写入任何记录`, shown);
  }

  private async run(ledger: ValidatedLedger, file: { fileName: string; sha: string }, meta: HttpCommandMeta): Promise<ImportResult> {
    const plan = new ImportPlan(this.handler, meta);
    const ctx = meta.ctx;
    const errors: RowError[] = [];
    const rows: ImportedRow[] = [];
    const skippedRows: number[] = [];
    // rows are named like the validation named them: `row 7: field`, prefixed by the ledger when a workbook holds several
    const multi = [ledger.leads, ledger.cases, ledger.recoveries].filter((a) => a.length > 0).length > 1;
    const name = (kind: ImportKind, row: number, field: string) => `${multi ? `${kind} ` : ''}row ${row}: ${field}`;
    const attempt = async (kind: ImportKind, row: number, f: () => Promise<void>) => {
      try {
        await f();
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        errors.push({ field: name(kind, row, e.field ?? 'row'), message: e.message });
      }
    };
    const counts = { leads: 0, cases: 0, recoveries: 0 };

    const registerLead = async (leadId: string, commandKey: string, l: { source: string; reportingAgency: string; subject: { name: string; post: string; unit: string; rank?: string }; allegation: string; category?: string; receivedOn: LocalDate; important: boolean }) => {
      const year = yearOf(l.receivedOn);
      const ledgerStream = streams.ledger('lead', year);
      const { state } = await plan.state(ledgerDecider, ledgerStream);
      const ledgerNo = nextLedgerNumber(state, 'lead', year, leadId);
      await plan.decide(ledgerDecider, ledgerStream, { type: 'AssignLedgerNumber', ledger: 'lead', year, itemId: leadId, ctx }, `${commandKey}:number`);
      await plan.decide(
        leadDecider,
        streams.lead(leadId),
        { type: 'RegisterLead', leadId, ledgerNo, source: l.source as never, reportingAgency: l.reportingAgency, subject: l.subject, allegation: l.allegation, category: l.category, receivedOn: l.receivedOn, important: l.important, ctx },
        `${commandKey}:register`,
      );
      return ledgerNo;
    };

    for (const l of ledger.leads) {
      await attempt('leads', l.row, async () => {
        const key = l.originalNo ?? `sha:${createHash('sha256').update(JSON.stringify(l, (k, v) => (k === 'row' ? undefined : v))).digest('hex')}`;
        const leadId = importIds.lead(key);
        if ((await plan.state(leadDecider, streams.lead(leadId))).version > 0) {
          skippedRows.push(l.row);
          return;
        }
        const ledgerNo = await registerLead(leadId, `import:${leadId}`, l);
        rows.push({ kind: 'leads', row: l.row, itemId: leadId, ...(l.originalNo ? { originalNo: l.originalNo } : {}), ledgerNo });
        counts.leads++;
      });
    }

    const casesToClose: { row: number; caseId: string; closedOn: LocalDate; summary: string }[] = [];
    for (const c of ledger.cases) {
      await attempt('cases', c.row, async () => {
        const caseId = importIds.caseOf(c.originalNo);
        if ((await plan.state(caseDecider, streams.case(caseId))).version > 0) {
          skippedRows.push(c.row);
          return;
        }
        // a case is filed from a lead: the old ledger has none, so the case row brings its own (source 其他 by default)
        const leadId = importIds.caseLead(c.originalNo);
        await registerLead(leadId, `import:${leadId}`, {
          source: c.source,
          reportingAgency: c.leadAgency,
          subject: c.subject,
          allegation: c.allegation ?? c.title,
          receivedOn: c.filedOn,
          important: c.major,
        });
        const year = yearOf(c.filedOn);
        const ledgerStream = streams.ledger('case', year);
        const caseNo = nextLedgerNumber((await plan.state(ledgerDecider, ledgerStream)).state, 'case', year, caseId);
        await plan.decide(ledgerDecider, ledgerStream, { type: 'AssignLedgerNumber', ledger: 'case', year, itemId: caseId, ctx }, `import:${caseId}:number`);
        const lead = (await plan.state(leadDecider, streams.lead(leadId))).state as LeadState;
        await plan.decide(
          caseDecider,
          streams.case(caseId),
          { type: 'FileCase', caseId, caseNo, title: c.title, leads: [leadAtFiling(lead, leadId)], leadAgency: c.leadAgency, coAgencies: c.coAgencies, filedOn: c.filedOn, major: c.major, difficult: c.difficult, ctx },
          `import:${caseId}:file`,
        );
        await plan.decide(leadDecider, streams.lead(leadId), { type: 'ConvertLeadToCase', caseId, caseNo, convertedOn: c.filedOn, ctx }, `import:${leadId}:convert`);
        rows.push({ kind: 'cases', row: c.row, itemId: caseId, originalNo: c.originalNo, ledgerNo: caseNo });
        counts.cases++;
        if (c.closedOn) casesToClose.push({ row: c.row, caseId, closedOn: c.closedOn, summary: c.closeSummary ?? '历史台账导入：已结案' });
      });
    }

    for (const r of ledger.recoveries) {
      await attempt('recoveries', r.row, async () => {
        const caseId = importIds.caseOf(r.caseNo);
        const recoveryId = importIds.recovery(r.contentKey);
        const { state } = await plan.state(caseDecider, streams.case(caseId));
        const c = state as CaseState;
        if (c.status === 'none') throw new DomainError('case-not-found', `原编号为“${r.caseNo}”的案件不存在（请先导入案件台账）`, 'invalid', 'caseNo');
        if (c.recoveries[recoveryId]) {
          skippedRows.push(r.row);
          return;
        }
        await plan.decide(
          caseDecider,
          streams.case(caseId),
          { type: 'RecordRecovery', recoveryId, amountFen: r.amountFen, category: r.category, agency: r.agency, recoveredOn: r.recoveredOn, note: r.note, ctx },
          `import:${recoveryId}:recover`,
        );
        rows.push({ kind: 'recoveries', row: r.row, itemId: recoveryId, originalNo: r.caseNo });
        counts.recoveries++;
      });
    }

    // closed after their recoveries: a closed case accepts no new recovery
    for (const k of casesToClose) {
      await attempt('cases', k.row, async () => {
        await plan.decide(caseDecider, streams.case(k.caseId), { type: 'CloseCase', summary: k.summary, closedOn: k.closedOn, ctx }, `import:${k.caseId}:close`);
      });
    }

    if (errors.length > 0) throw this.problem(errors);
    const batchId = importIds.batch(file.sha);
    if (rows.length === 0) {
      return { batchId, written: false, imported: counts, skipped: skippedRows.length, rows, position: await this.store.headPosition() };
    }
    await plan.decide(
      ledgerImportDecider,
      streams.ledgerImport(batchId),
      { type: 'RecordImportBatch', batchId, fileName: file.fileName, fileSha256: file.sha, rows, skippedRows, ctx },
      `import:batch:${batchId}`,
    );
    const results = await this.store.appendMulti(plan.appends());
    return { batchId, written: results.some((r) => r.written), imported: counts, skipped: skippedRows.length, rows, position: Math.max(0, ...results.map((r) => r.lastPosition)) };
  }
}
