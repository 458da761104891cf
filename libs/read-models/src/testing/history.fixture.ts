import type { CoordinationEventType } from '@coord/domain';
import type { EventStore } from '@coord/event-store';
import type { EventDataOf } from '../projection';
import { newEvent, streamOf } from './event-feed';

const subject = (n: number) => ({ name: `干部${n}`, post: '科长', unit: `县第${n % 7}局` });
const AGENCIES = ['discipline-commission', 'public-security', 'procuratorate', 'audit-bureau', 'finance-bureau'];

/**
 * A realistic mixed history touching every projection (leads with transfers, forwards, returns and all four
 * dispositions; cases with progress, recoveries and corrections, sanctions, judicial transfer, closing;
 * supervision items through extensions and reviews; events no projection handles). Returns the head.
 */
export async function seedHistory(store: EventStore, leads = 12): Promise<number> {
  let head = 0;
  const put = async <T extends CoordinationEventType>(type: T, data: EventDataOf<T>, confidential?: Record<string, unknown>) => {
    head = (await store.append(streamOf(type, data), [newEvent(type, data, confidential)], 'any')).lastPosition;
  };
  await put('group.member-joined', { agency: 'court', name: '县人民法院', groupRole: 'member', joinedOn: '2026-01-01' });
  await put('calendar.holiday-declared', { date: '2026-04-06', name: '清明节' });
  for (let i = 1; i <= leads; i++) {
    const leadId = `L${i}`;
    const from = AGENCIES[i % AGENCIES.length];
    const to = AGENCIES[(i + 1) % AGENCIES.length];
    await put('ledger.number-assigned', { ledger: 'lead', year: 2026, seq: i, number: `LC-2026-${String(i).padStart(4, '0')}`, itemId: leadId });
    await put(
      'lead.registered',
      { leadId, ledgerNo: `LC-2026-${String(i).padStart(4, '0')}`, source: i % 2 ? 'petition' : 'audit-finding', reportingAgency: from, subject: subject(i), allegation: `问题${i}`, receivedOn: `2026-03-${String((i % 27) + 1).padStart(2, '0')}`, important: i % 3 === 0, hasInformant: i % 2 === 1 },
      i % 2 === 1 ? { informant: { name: `举报人${i}`, contact: '13800000000' } } : undefined,
    );
    if (i % 3 === 0) {
      await put('lead.transferred', { leadId, transferId: `${leadId}-T1`, fromAgency: from, toAgency: to, letterNo: `移〔2026〕${i}号`, reason: '管辖', transferredOn: '2026-04-01' });
      await put('lead.transfer-acknowledged', { leadId, transferId: `${leadId}-T1`, agency: to, acknowledgedOn: '2026-04-02' });
      if (i % 2) await put('lead.transfer-accepted', { leadId, transferId: `${leadId}-T1`, agency: to, acceptedOn: '2026-04-03' });
      else await put('lead.transfer-forwarded', { leadId, transferId: `${leadId}-T1`, nextTransferId: `${leadId}-T2`, fromAgency: to, toAgency: 'court', letterNo: `转〔2026〕${i}号`, reason: '转送', forwardedOn: '2026-04-03' });
    }
    if (i % 4 === 1) await put('lead.transfer-returned', { leadId, transferId: 'none', agency: to, toAgency: from, reason: 'n/a', returnedOn: '2026-04-04' });
    const method = (['talk-inquiry', 'preliminary-verification', 'hold-pending', 'close'] as const)[i % 4];
    if (i % 5 !== 0) await put('lead.disposition-decided', { leadId, method, rationale: '依规处置', agency: from, decidedOn: '2026-04-10' });
    if (i % 4 === 1) await put('lead.disposition-concluded', { leadId, method, conclusion: '问题属实', concludedOn: '2026-04-20' });
  }
  for (let c = 1; c <= Math.ceil(leads / 4); c++) {
    const caseId = `C${c}`;
    const leadId = `L${c * 4 - 3}`;
    await put('case.filed', {
      caseId,
      caseNo: `AJ-2026-${String(c).padStart(4, '0')}`,
      title: `干部${c * 4 - 3}违纪案`,
      leadIds: [leadId],
      leads: [{ leadId, ledgerNo: `LC-2026-${String(c * 4 - 3).padStart(4, '0')}`, source: 'petition', allegation: `问题${c * 4 - 3}`, subject: subject(c * 4 - 3), receivedOn: '2026-03-02', disposition: { method: 'preliminary-verification', rationale: '依规处置', decidedOn: '2026-04-10' } }],
      subjects: [subject(c * 4 - 3)],
      leadAgency: AGENCIES[c % AGENCIES.length],
      coAgencies: [AGENCIES[(c + 2) % AGENCIES.length]],
      filedOn: '2026-05-06',
      major: c % 2 === 1,
      difficult: c % 3 === 0,
    });
    await put('lead.converted-to-case', { leadId, caseId, caseNo: `AJ-2026-${String(c).padStart(4, '0')}`, convertedOn: '2026-05-06' });
    await put('case.progress-reported', { caseId, reportId: `${caseId}-P1`, stage: 'investigation', summary: '查明事实', agency: AGENCIES[c % AGENCIES.length], reportedOn: '2026-06-01' });
    await put('case.loss-recovered', { caseId, recoveryId: `${caseId}-R1`, amountFen: 123_456_789 * c, category: 'confiscation', agency: 'procuratorate', recoveredOn: '2026-06-15' });
    await put('case.loss-recovered', { caseId, recoveryId: `${caseId}-R2`, amountFen: 50_000, category: 'restitution', agency: 'finance-bureau', recoveredOn: '2026-07-02' });
    await put('case.loss-recovery-corrected', { caseId, recoveryId: `${caseId}-R1`, correctionId: `${caseId}-K1`, deltaFen: -456_789, correctedAmountFen: 123_456_789 * c - 456_789, category: 'confiscation', agency: 'procuratorate', recoveredOn: '2026-06-15', reason: '重复登记', correctedOn: '2026-08-01' });
    await put('case.sanction-imposed', { caseId, sanctionId: `${caseId}-S1`, personName: `干部${c * 4 - 3}`, kind: 'party-discipline', level: 'serious-warning', decidedOn: '2026-08-10', agency: 'discipline-commission' });
    if (c % 2 === 0) await put('case.flags-changed', { caseId, major: true, difficult: false, reason: '升级', changedOn: '2026-08-11' });
    if (c % 3 === 1) {
      await put('case.transferred-to-judiciary', { caseId, toAgency: 'procuratorate', summary: '涉嫌受贿', transferredOn: '2026-09-01' });
      await put('case.court-result-recorded', { caseId, result: '判处有期徒刑三年', decidedOn: '2026-11-20' });
      await put('case.closed', { caseId, summary: '结案', closedOn: '2026-11-30' });
    }
  }
  for (let s = 1; s <= 4; s++) {
    const itemId = `S${s}`;
    await put('supervision.opened', { itemId, itemNo: `DB-2026-${String(s).padStart(4, '0')}`, title: `督办事项${s}`, origin: 'meeting-decision', assigneeAgency: AGENCIES[s], dueOn: '2026-06-30', caseId: s === 1 ? 'C1' : undefined, openedOn: '2026-05-10' });
    await put('supervision.progress-noted', { itemId, noteId: `${itemId}-N1`, note: '推进中', agency: AGENCIES[s], notedOn: '2026-05-20' });
    if (s >= 2) {
      await put('supervision.extension-requested', { itemId, requestId: `${itemId}-E1`, currentDueOn: '2026-06-30', newDueOn: '2026-07-31', reason: '情况复杂', requestedOn: '2026-06-20' });
      if (s === 2) await put('supervision.extension-refused', { itemId, requestId: `${itemId}-E1`, reason: '理由不足', refusedOn: '2026-06-22' });
      else await put('supervision.extension-approved', { itemId, requestId: `${itemId}-E1`, previousDueOn: '2026-06-30', newDueOn: '2026-07-31', approvedOn: '2026-06-22' });
    }
    if (s >= 3) {
      await put('supervision.result-reported', { itemId, resultId: `${itemId}-R1`, summary: '已整改', agency: AGENCIES[s], reportedOn: '2026-07-20' });
      await put('supervision.result-sent-back', { itemId, resultId: `${itemId}-R1`, comment: '不充分', reviewedOn: '2026-07-22' });
    }
    if (s === 4) {
      await put('supervision.result-reported', { itemId, resultId: `${itemId}-R2`, summary: '已全面整改', agency: AGENCIES[s], reportedOn: '2026-07-28' });
      await put('supervision.result-accepted', { itemId, resultId: `${itemId}-R2`, comment: '同意', reviewedOn: '2026-07-30' });
      await put('supervision.closed', { itemId, closedOn: '2026-07-30' });
    }
  }
  return head;
}
