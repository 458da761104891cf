/**
 * Which reads leave an access record (issue 5 item 5: case files, exports, bulletins), in ONE table
 * keyed by the route pattern as Fastify knows it. A table rather than a decorator on each handler keeps
 * the audit policy reviewable at a glance, and audited-routes.spec.ts fails when a route here no longer
 * exists or when a download/case/bulletin read route is neither audited nor listed as exempt.
 */
export interface AuditedRoute {
  subjectKind: 'case' | 'bulletin' | 'ledger' | 'report';
  action: 'read' | 'history' | 'bulletin-source' | 'export' | 'download';
  /** the route parameter naming the record; for exports a fixed name (the file) */
  subjectParam?: string;
  subjectName?: string;
}

export const AUDITED_ROUTES: Readonly<Record<string, AuditedRoute>> = {
  'GET /api/cases/:id': { subjectKind: 'case', action: 'read', subjectParam: 'id' },
  'GET /api/cases/:id/history': { subjectKind: 'case', action: 'history', subjectParam: 'id' },
  'GET /api/cases/:id/bulletin-source': { subjectKind: 'case', action: 'bulletin-source', subjectParam: 'id' },
  'GET /api/cases/bulletin-sources': { subjectKind: 'case', action: 'bulletin-source' },
  'GET /api/ledgers/leads.xlsx': { subjectKind: 'ledger', action: 'export', subjectName: 'leads.xlsx' },
  'GET /api/ledgers/cases.xlsx': { subjectKind: 'ledger', action: 'export', subjectName: 'cases.xlsx' },
  'GET /api/ledgers/supervision-items.xlsx': { subjectKind: 'ledger', action: 'export', subjectName: 'supervision-items.xlsx' },
  'GET /api/ledgers/recoveries.xlsx': { subjectKind: 'ledger', action: 'export', subjectName: 'recoveries.xlsx' },
  'GET /api/reports/periodic.docx': { subjectKind: 'report', action: 'download', subjectName: 'periodic.docx' },
  'GET /api/reports/periodic.xlsx': { subjectKind: 'report', action: 'download', subjectName: 'periodic.xlsx' },
  'GET /api/reports/periodic/:id/docx': { subjectKind: 'report', action: 'download', subjectParam: 'id' },
  'GET /api/reports/periodic/:id/xlsx': { subjectKind: 'report', action: 'download', subjectParam: 'id' },
  'GET /api/bulletins/:id': { subjectKind: 'bulletin', action: 'read', subjectParam: 'id' },
  'GET /api/bulletins/:id.docx': { subjectKind: 'bulletin', action: 'download', subjectParam: 'id' },
  'GET /api/bulletins/:id.html': { subjectKind: 'bulletin', action: 'download', subjectParam: 'id' },
  'GET /api/bulletins/:id/history': { subjectKind: 'bulletin', action: 'history', subjectParam: 'id' },
};

/**
 * Reads in the audited areas deliberately NOT recorded, with the reason: lists and figures that show
 * ledger rows already visible in the registers, and previews computed on the fly.
 */
export const AUDIT_EXEMPT_ROUTES: Readonly<Record<string, string>> = {
  'GET /api/cases': '案件台账列表（逐案查阅另有记录）',
  'GET /api/bulletins': '专报登记簿（编号、标题、状态）',
  'GET /api/ledgers/leads': '台账时间回溯视图（导出另有记录）',
  'GET /api/ledgers/cases': '台账时间回溯视图（导出另有记录）',
  'GET /api/ledgers/supervision-items': '台账时间回溯视图（导出另有记录）',
  'GET /api/reports/periodic': '定期报告实时预览（下载另有记录）',
  'GET /api/reports/periodic/:id': '已印发报告的元数据（下载另有记录）',
};
