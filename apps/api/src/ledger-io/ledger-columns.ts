import type { CaseRegisterEntity, LeadRegisterEntity, RecoveredLossEntity, SupervisionBoardEntity } from '@coord/read-models';
import { METHOD_LABELS, RECOVERY_LABELS, SOURCE_LABELS, type LedgerColumn } from '@coord/reporting';

const LEAD_STATUS: Record<string, string> = { registered: '已登记', 'in-transfer': '移送中', disposed: '已处置', closed: '已了结', converted: '已立案' };
const SUPERVISION_STATUS: Record<string, string> = { 'in-progress': '办理中', 'extension-requested': '申请延期', 'awaiting-review': '待审结', closed: '已销号' };
const ORIGIN: Record<string, string> = { 'meeting-decision': '联席会议决定', 'leader-instruction': '领导批示', office: '协调办立项' };
const yesNo = (b: boolean) => (b ? '是' : '否');

/** Column layouts of the exported ledgers (台账). Agency names are resolved by the caller's `name`. */
export function leadColumns(name: (code: string) => string): LedgerColumn<LeadRegisterEntity>[] {
  return [
    { header: '台账编号', width: 16, value: (r) => r.ledgerNo },
    { header: '受理日期', width: 12, value: (r) => r.receivedOn },
    { header: '线索来源', value: (r) => SOURCE_LABELS[r.source] ?? r.source },
    { header: '报送单位', value: (r) => name(r.reportingAgency) },
    { header: '现承办单位', value: (r) => name(r.holderAgency) },
    { header: '被反映人', width: 12, value: (r) => r.subjectName },
    { header: '职务', value: (r) => r.subjectPost },
    { header: '工作单位', width: 20, value: (r) => r.subjectUnit },
    { header: '职级', value: (r) => r.subjectRank },
    { header: '反映问题', width: 40, value: (r) => r.allegation },
    { header: '问题类别', value: (r) => r.category },
    { header: '重要线索', width: 8, value: (r) => yesNo(r.important) },
    { header: '状态', width: 10, value: (r) => LEAD_STATUS[r.status] ?? r.status },
    { header: '移送次数', width: 8, value: (r) => r.transferCount },
    { header: '处置方式', value: (r) => (r.dispositionMethod ? (METHOD_LABELS[r.dispositionMethod] ?? r.dispositionMethod) : null) },
    { header: '处置日期', width: 12, value: (r) => r.dispositionDecidedOn },
    { header: '办结日期', width: 12, value: (r) => r.dispositionConcludedOn },
    { header: '立案编号', width: 16, value: (r) => r.caseNo },
  ];
}

export function caseColumns(name: (code: string) => string): LedgerColumn<CaseRegisterEntity>[] {
  return [
    { header: '案件编号', width: 16, value: (r) => r.caseNo },
    { header: '立案日期', width: 12, value: (r) => r.filedOn },
    { header: '案件名称', width: 30, value: (r) => r.title },
    { header: '被调查人', width: 16, value: (r) => r.subjectNames.join('、') },
    { header: '主办单位', value: (r) => name(r.leadAgency) },
    { header: '协办单位', width: 24, value: (r) => r.coAgencies.map(name).join('、') },
    { header: '重大', width: 6, value: (r) => yesNo(r.major) },
    { header: '疑难', width: 6, value: (r) => yesNo(r.difficult) },
    { header: '状态', width: 8, value: (r) => (r.status === 'closed' ? '已结案' : '在办') },
    { header: '最近案情报告', width: 12, value: (r) => r.lastProgressOn },
    { header: '处分（人次）', width: 10, value: (r) => r.sanctionCount },
    { header: '移送司法日期', width: 12, value: (r) => r.judicialTransferOn },
    { header: '挽回损失（分）', width: 16, value: (r) => r.recoveredFen },
    { header: '挽回损失（元）', width: 16, value: (r) => r.recoveredFen / 100, numFmt: '#,##0.00' },
    { header: '结案日期', width: 12, value: (r) => r.closedOn },
  ];
}

export function supervisionColumns(name: (code: string) => string): LedgerColumn<SupervisionBoardEntity>[] {
  return [
    { header: '督办编号', width: 16, value: (r) => r.itemNo },
    { header: '立项日期', width: 12, value: (r) => r.openedOn },
    { header: '督办事项', width: 36, value: (r) => r.title },
    { header: '来源', width: 14, value: (r) => ORIGIN[r.origin] ?? r.origin },
    { header: '承办单位', value: (r) => name(r.assigneeAgency) },
    { header: '办理期限', width: 12, value: (r) => r.dueOn },
    { header: '延期次数', width: 8, value: (r) => r.extensionCount },
    { header: '状态', width: 10, value: (r) => SUPERVISION_STATUS[r.status] ?? r.status },
    { header: '最近进展', width: 12, value: (r) => r.lastProgressOn },
    { header: '办理结果', width: 36, value: (r) => r.resultSummary },
    { header: '退回重办次数', width: 10, value: (r) => r.sentBackCount },
    { header: '销号日期', width: 12, value: (r) => r.closedOn },
  ];
}

export type RecoveryLedgerRow = RecoveredLossEntity & { caseNo: string | null; caseTitle: string | null };

export function recoveryColumns(name: (code: string) => string): LedgerColumn<RecoveryLedgerRow>[] {
  return [
    { header: '挽损日期', width: 12, value: (r) => r.recoveredOn },
    { header: '案件编号', width: 16, value: (r) => r.caseNo },
    { header: '案件名称', width: 30, value: (r) => r.caseTitle },
    { header: '类型', width: 8, value: (r) => (r.kind === 'correction' ? '更正' : '挽损') },
    { header: '类别', width: 8, value: (r) => RECOVERY_LABELS[r.category] ?? r.category },
    { header: '挽损单位', value: (r) => name(r.agency) },
    { header: '金额（分）', width: 16, value: (r) => r.amountFen },
    { header: '金额（元）', width: 16, value: (r) => r.amountFen / 100, numFmt: '#,##0.00' },
    { header: '登记日期', width: 12, value: (r) => r.bookedOn },
  ];
}
