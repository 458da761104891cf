import { Injectable } from '@nestjs/common';
import { DataSource, In, Not } from 'typeorm';
import { CaseQuery, CaseRegisterEntity, LeadQuery, MAX_PAGE_SIZE, RecoveredLossEntity, SupervisionQuery, type Page } from '@coord/read-models';
import { renderLedgerXlsx, SEED_AGENCY_NAMES } from '@coord/reporting';
import { AgencyDirectory } from '../agencies/agency-directory.service';
import { caseColumns, leadColumns, recoveryColumns, supervisionColumns, type RecoveryLedgerRow } from './ledger-columns';

export const LEDGER_KINDS = ['leads', 'cases', 'supervision-items', 'recoveries'] as const;
export type LedgerFileKind = (typeof LEDGER_KINDS)[number];

export const LEDGER_SHEET_NAMES: Record<LedgerFileKind, string> = {
  leads: '线索台账',
  cases: '案件台账',
  'supervision-items': '督办台账',
  recoveries: '挽损台账',
};

async function* pages<T>(fetch: (offset: number) => Promise<Page<T>>): AsyncIterable<T[]> {
  for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
    const page = await fetch(offset);
    if (page.items.length > 0) yield page.items;
    if (page.items.length < MAX_PAGE_SIZE || offset + page.items.length >= page.total) return;
  }
}

/**
 * 台账导出: every ledger to XLSX through the same read-model queries (and the same agency scope) as the
 * list endpoints, page by page. Recoveries have no list query, so their rows are read from the
 * recovered_losses table directly (scoped to the recovering agency for agency users), ordered by date.
 */
@Injectable()
export class LedgerExportService {
  constructor(
    private readonly leads: LeadQuery,
    private readonly cases: CaseQuery,
    private readonly supervision: SupervisionQuery,
    private readonly dataSource: DataSource,
    private readonly agencies: AgencyDirectory,
  ) {}

  async xlsx(kind: LedgerFileKind, scopeAgency: string | undefined, hidden: { leadIds: readonly string[]; caseIds: readonly string[] } = { leadIds: [], caseIds: [] }): Promise<Buffer> {
    const names = { ...SEED_AGENCY_NAMES, ...(await this.agencies.names()) };
    const name = (code: string) => names[code] ?? code;
    const sheet = LEDGER_SHEET_NAMES[kind];
    switch (kind) {
      case 'leads':
        return renderLedgerXlsx(sheet, leadColumns(name), pages((offset) => this.leads.list({ limit: MAX_PAGE_SIZE, offset, scopeAgency, excludeIds: hidden.leadIds })));
      case 'cases':
        return renderLedgerXlsx(sheet, caseColumns(name), pages((offset) => this.cases.list({ limit: MAX_PAGE_SIZE, offset, scopeAgency, excludeIds: hidden.caseIds })));
      case 'supervision-items':
        return renderLedgerXlsx(sheet, supervisionColumns(name), pages((offset) => this.supervision.list({ limit: MAX_PAGE_SIZE, offset, scopeAgency })));
      case 'recoveries':
        return renderLedgerXlsx(sheet, recoveryColumns(name), pages((offset) => this.recoveryPage(offset, scopeAgency, hidden.caseIds)));
    }
  }

  private async recoveryPage(offset: number, scopeAgency: string | undefined, hiddenCaseIds: readonly string[] = []): Promise<Page<RecoveryLedgerRow>> {
    const repo = this.dataSource.getRepository(RecoveredLossEntity);
    const where = { ...(scopeAgency === undefined ? {} : { agency: scopeAgency }), ...(hiddenCaseIds.length ? { caseId: Not(In([...hiddenCaseIds])) } : {}) };
    const [rows, total] = await repo.findAndCount({ where, order: { recoveredOn: 'ASC', position: 'ASC' }, take: MAX_PAGE_SIZE, skip: offset });
    const caseIds = [...new Set(rows.map((r) => r.caseId))];
    const cases = caseIds.length ? await this.dataSource.getRepository(CaseRegisterEntity).findBy({ caseId: In(caseIds) }) : [];
    const byId = new Map(cases.map((c) => [c.caseId, c]));
    const items = rows.map((r) => ({ ...r, caseNo: byId.get(r.caseId)?.caseNo ?? null, caseTitle: byId.get(r.caseId)?.title ?? null }));
    return { total, limit: MAX_PAGE_SIZE, offset, items };
  }
}
