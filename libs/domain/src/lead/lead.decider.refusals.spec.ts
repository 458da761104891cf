import type { Actor } from '../shared/actor';
import { given } from '../testing/given-when-then';
import { audit, ctx, office, police, system, TODAY } from '../testing/fixtures';
import { leadDecider } from './lead.decider';
import type { LeadCommand } from './lead.commands';
import type { LeadEvent } from './lead.events';

/**
 * Refusals of the lead decider that lead.decider.spec.ts does not pin down to code, kind AND field: every
 * refusal is part of the HTTP contract (problem+json code and the field the form highlights).
 */
const BLANKS = ['', '  \t\u3000'];
const agencyWithoutAgency: Actor = { userId: 'u-x', username: 'x', role: 'agency' };
const subject = { name: '张某', post: '科长', unit: '县某局' };

type Cmd<T extends LeadCommand['type']> = Extract<LeadCommand, { type: T }>;
const register = (actor: Actor = audit, extra: Partial<Cmd<'RegisterLead'>> = {}): LeadCommand => ({
  type: 'RegisterLead',
  leadId: 'L1',
  ledgerNo: 'LC-2026-0042',
  source: 'audit-finding',
  reportingAgency: 'audit-bureau',
  subject,
  allegation: '违规发放补贴',
  receivedOn: '2026-03-10',
  important: false,
  ctx: ctx(actor),
  ...extra,
});
const registered: LeadEvent = {
  type: 'lead.registered',
  data: {
    leadId: 'L1',
    ledgerNo: 'LC-2026-0042',
    source: 'audit-finding',
    reportingAgency: 'audit-bureau',
    subject,
    allegation: '违规发放补贴',
    receivedOn: '2026-03-10',
    important: false,
    hasInformant: false,
  },
};
const transferred: LeadEvent = {
  type: 'lead.transferred',
  data: { leadId: 'L1', transferId: 'T1', fromAgency: 'audit-bureau', toAgency: 'public-security', letterNo: '审移〔2026〕1号', reason: '涉嫌犯罪', transferredOn: TODAY },
};
const acknowledged: LeadEvent = { type: 'lead.transfer-acknowledged', data: { leadId: 'L1', transferId: 'T1', agency: 'public-security', acknowledgedOn: TODAY } };
const decided = (method: 'talk-inquiry' | 'hold-pending' | 'close'): LeadEvent => ({
  type: 'lead.disposition-decided',
  data: { leadId: 'L1', method, rationale: '依规处置', agency: 'audit-bureau', decidedOn: TODAY },
});
const concluded: LeadEvent = { type: 'lead.disposition-concluded', data: { leadId: 'L1', method: 'talk-inquiry', conclusion: '已回复', concludedOn: TODAY } };
const converted: LeadEvent = { type: 'lead.converted-to-case', data: { leadId: 'L1', caseId: 'C1', caseNo: 'AJ-2026-0001', convertedOn: TODAY } };

const transfer = (extra: Partial<Cmd<'TransferLead'>> = {}): LeadCommand => ({
  type: 'TransferLead',
  transferId: 'T1',
  toAgency: 'public-security',
  letterNo: '审移〔2026〕1号',
  reason: '涉嫌犯罪',
  ctx: ctx(audit),
  ...extra,
});
const forward = (extra: Partial<Cmd<'ForwardTransfer'>> = {}): LeadCommand => ({
  type: 'ForwardTransfer',
  transferId: 'T1',
  nextTransferId: 'T2',
  toAgency: 'procuratorate',
  letterNo: '公移〔2026〕2号',
  reason: '属检察管辖',
  ctx: ctx(police),
  ...extra,
});
const conclude = (conclusion = '函询已回复，予以采信'): LeadCommand => ({ type: 'ConcludeDisposition', conclusion, ctx: ctx(audit) });
const convert = (convertedOn: string): LeadCommand => ({ type: 'ConvertLeadToCase', caseId: 'C1', caseNo: 'AJ-2026-0001', convertedOn, ctx: ctx(audit) });
const inTransfer = [registered, transferred, acknowledged];

describe('leadDecider refusals (code, kind and field)', () => {
  it('an agency user bound to no agency writes nothing', () => {
    given(leadDecider).when(register(agencyWithoutAgency)).thenRefuses('agency-missing', 'forbidden');
  });

  it('only the office or an agency registers a lead: the system account may not', () => {
    given(leadDecider).when(register(system)).thenRefuses('office-only', 'forbidden');
  });

  it('a received date that is not a date is invalid on receivedOn', () => {
    given(leadDecider).when(register(audit, { receivedOn: '2026-3-10' })).thenRefuses('date-invalid', 'invalid', 'receivedOn');
  });

  it('a forward must use a new transfer id', () => {
    given(leadDecider, ...inTransfer).when(forward({ nextTransferId: 'T1' })).thenRefuses('transfer-id-reused', 'invalid', 'nextTransferId');
  });

  it('a converted or closed lead does not move any more', () => {
    given(leadDecider, registered, converted).when(transfer()).thenRefuses('lead-already-converted', 'conflict');
    given(leadDecider, registered, decided('close')).when(transfer()).thenRefuses('lead-closed', 'conflict');
  });

  it('a disposition is concluded only once it was decided, only for a concludable method, and only once', () => {
    given(leadDecider, registered).when(conclude()).thenRefuses('disposition-not-decided', 'conflict');
    given(leadDecider, registered, decided('hold-pending')).when(conclude()).thenRefuses('disposition-not-concludable', 'conflict');
    given(leadDecider, registered, decided('talk-inquiry'), concluded).when(conclude()).thenRefuses('disposition-already-concluded', 'conflict');
  });

  it('the conversion date must be a date and not after today', () => {
    given(leadDecider, registered).when(convert('16/03/2026')).thenRefuses('date-invalid', 'invalid', 'convertedOn');
    given(leadDecider, registered).when(convert('2026-03-17')).thenRefuses('date-in-future', 'invalid', 'convertedOn');
  });

  describe.each(BLANKS)('required text, blank value %j', (blank) => {
    it('RegisterLead needs the allegation and the subject’s name', () => {
      given(leadDecider).when(register(audit, { allegation: blank })).thenRefuses('allegation-required', 'invalid', 'allegation');
      given(leadDecider)
        .when(register(audit, { subject: { ...subject, name: blank } }))
        .thenRefuses('subject-required', 'invalid', 'subject.name');
    });
    it('TransferLead needs a letter number and a reason', () => {
      given(leadDecider, registered).when(transfer({ letterNo: blank })).thenRefuses('letter-no-required', 'invalid', 'letterNo');
      given(leadDecider, registered).when(transfer({ reason: blank })).thenRefuses('reason-required', 'invalid', 'reason');
    });
    it('ReturnTransfer needs a reason', () => {
      given(leadDecider, ...inTransfer)
        .when({ type: 'ReturnTransfer', transferId: 'T1', reason: blank, ctx: ctx(police) })
        .thenRefuses('reason-required', 'invalid', 'reason');
    });
    it('ForwardTransfer needs a letter number and a reason', () => {
      given(leadDecider, ...inTransfer).when(forward({ letterNo: blank })).thenRefuses('letter-no-required', 'invalid', 'letterNo');
      given(leadDecider, ...inTransfer).when(forward({ reason: blank })).thenRefuses('reason-required', 'invalid', 'reason');
    });
    it('DecideDisposition needs a rationale', () => {
      given(leadDecider, registered)
        .when({ type: 'DecideDisposition', method: 'talk-inquiry', rationale: blank, ctx: ctx(office) })
        .thenRefuses('rationale-required', 'invalid', 'rationale');
    });
    it('ConcludeDisposition needs the conclusion', () => {
      given(leadDecider, registered, decided('talk-inquiry')).when(conclude(blank)).thenRefuses('conclusion-required', 'invalid', 'conclusion');
    });
  });
});
