import { given } from '../testing/given-when-then';
import { audit, auditor, ctx, finance, leadership, office, police, procuratorate, TODAY } from '../testing/fixtures';
import { leadDecider } from './lead.decider';
import type { LeadCommand } from './lead.commands';
import type { LeadEvent, LeadRegistered } from './lead.events';
import type { Actor } from '../shared/actor';

const subject = { name: '张某', post: '科长', unit: '县某局' };

const register = (actor: Actor = audit, extra: Partial<Extract<LeadCommand, { type: 'RegisterLead' }>> = {}): LeadCommand => ({
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

const registered: LeadRegistered = {
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
const acknowledged: LeadEvent = {
  type: 'lead.transfer-acknowledged',
  data: { leadId: 'L1', transferId: 'T1', agency: 'public-security', acknowledgedOn: TODAY },
};
const accepted: LeadEvent = { type: 'lead.transfer-accepted', data: { leadId: 'L1', transferId: 'T1', agency: 'public-security', acceptedOn: TODAY } };
const forwarded: LeadEvent = {
  type: 'lead.transfer-forwarded',
  data: { leadId: 'L1', transferId: 'T1', nextTransferId: 'T2', fromAgency: 'public-security', toAgency: 'procuratorate', letterNo: '公移〔2026〕2号', reason: '属检察管辖', forwardedOn: TODAY },
};
const decided = (method: 'talk-inquiry' | 'preliminary-verification' | 'hold-pending' | 'close'): LeadEvent => ({
  type: 'lead.disposition-decided',
  data: { leadId: 'L1', method, rationale: '依规处置', agency: 'audit-bureau', decidedOn: TODAY },
});
const converted: LeadEvent = { type: 'lead.converted-to-case', data: { leadId: 'L1', caseId: 'C1', caseNo: 'AJ-2026-0001', convertedOn: TODAY } };

const transfer = (actor: Actor, extra: Partial<Extract<LeadCommand, { type: 'TransferLead' }>> = {}): LeadCommand => ({
  type: 'TransferLead',
  transferId: 'T1',
  toAgency: 'public-security',
  letterNo: '审移〔2026〕1号',
  reason: '涉嫌犯罪',
  ctx: ctx(actor),
  ...extra,
});
const ack = (actor: Actor, transferId = 'T1'): LeadCommand => ({ type: 'AcknowledgeTransfer', transferId, ctx: ctx(actor) });
const accept = (actor: Actor, transferId = 'T1'): LeadCommand => ({ type: 'AcceptTransfer', transferId, ctx: ctx(actor) });
const giveBack = (actor: Actor, reason = '不属本单位管辖'): LeadCommand => ({ type: 'ReturnTransfer', transferId: 'T1', reason, ctx: ctx(actor) });
const forward = (actor: Actor, toAgency: string): LeadCommand => ({
  type: 'ForwardTransfer',
  transferId: 'T1',
  nextTransferId: 'T2',
  toAgency,
  letterNo: '公移〔2026〕2号',
  reason: '属检察管辖',
  ctx: ctx(actor),
});
const dispose = (actor: Actor, method: 'talk-inquiry' | 'preliminary-verification' | 'hold-pending' | 'close' = 'talk-inquiry', rationale = '依规处置'): LeadCommand => ({
  type: 'DecideDisposition',
  method,
  rationale,
  ctx: ctx(actor),
});
const conclude = (actor: Actor): LeadCommand => ({ type: 'ConcludeDisposition', conclusion: '函询已回复，予以采信', ctx: ctx(actor) });
const convert = (actor: Actor): LeadCommand => ({ type: 'ConvertLeadToCase', caseId: 'C1', caseNo: 'AJ-2026-0001', convertedOn: TODAY, ctx: ctx(actor) });

describe('leadDecider', () => {
  describe('RegisterLead (线索登记)', () => {
    it('an agency registers its own lead; the informant goes only to the confidential part', () => {
      const informant = { name: '李某', contact: '138' };
      given(leadDecider)
        .when(register(audit, { informant }))
        .then([{ ...registered, data: { ...registered.data, hasInformant: true }, confidential: { informant } }]);
    });

    it('without an informant there is no confidential part and hasInformant is false', () => {
      given(leadDecider).when(register()).then([registered]);
    });

    it('the office may register for any agency', () => {
      given(leadDecider).when(register(office)).then([registered]);
    });

    it('an agency may not register in the name of another agency', () => {
      given(leadDecider).when(register(police)).thenRefuses('not-own-agency', 'forbidden');
    });

    it.each([leadership, auditor])('readers never write (%s.role)', (reader) => {
      given(leadDecider).when(register(reader)).thenRefuses('read-only-role', 'forbidden');
    });

    it('refuses a received date after today', () => {
      given(leadDecider).when(register(audit, { receivedOn: '2026-03-17' })).thenRefuses('received-in-future', 'invalid', 'receivedOn');
    });

    it('refuses an unknown source', () => {
      given(leadDecider).when(register(audit, { source: 'rumour' as never })).thenRefuses('source-invalid', 'invalid', 'source');
    });

    it('refuses to register twice on the same stream', () => {
      given(leadDecider, registered).when(register()).thenRefuses('lead-already-registered', 'conflict');
    });

    it('the holder after registration is the reporting agency', () => {
      expect(given(leadDecider, registered).state).toMatchObject({ status: 'registered', holderAgency: 'audit-bureau' });
    });
  });

  it.each([transfer(audit), ack(police), accept(police), giveBack(police), forward(police, 'court'), dispose(audit), conclude(audit), convert(audit)])(
    'every other command on an empty stream is lead-not-found (%#)',
    (command) => {
      given(leadDecider).when(command).thenRefuses('lead-not-found', 'not-found');
    },
  );

  describe('TransferLead (线索移送)', () => {
    it('the holder transfers; the event records the holder as sender and today as the date', () => {
      given(leadDecider, registered).when(transfer(audit)).then([transferred]);
    });

    it('the office may transfer a lead it does not hold', () => {
      given(leadDecider, registered).when(transfer(office)).then([transferred]);
    });

    it('another agency may not transfer the lead', () => {
      given(leadDecider, registered).when(transfer(finance)).thenRefuses('not-lead-holder', 'forbidden');
    });

    it('not while a transfer is pending', () => {
      given(leadDecider, registered, transferred).when(transfer(office, { transferId: 'T9', toAgency: 'court' })).thenRefuses('transfer-pending', 'conflict');
    });

    it('not to the holder itself', () => {
      given(leadDecider, registered).when(transfer(audit, { toAgency: 'audit-bureau' })).thenRefuses('transfer-to-self', 'invalid', 'toAgency');
    });

    it('needs a reason', () => {
      given(leadDecider, registered).when(transfer(audit, { reason: '  ' })).thenRefuses('reason-required', 'invalid', 'reason');
    });

    it('not after conversion or closing', () => {
      given(leadDecider, registered, converted).when(transfer(audit)).thenRefuses('lead-already-converted');
      given(leadDecider, registered, decided('close')).when(transfer(audit)).thenRefuses('lead-closed');
    });

    it('after an accepted transfer the new holder may transfer onward and the old one may not', () => {
      const next = transfer(police, { transferId: 'T2', toAgency: 'procuratorate' });
      given(leadDecider, registered, transferred, acknowledged, accepted)
        .when(next)
        .then([{ type: 'lead.transferred', data: { ...transferred.data, transferId: 'T2', fromAgency: 'public-security', toAgency: 'procuratorate' } }]);
      given(leadDecider, registered, transferred, acknowledged, accepted).when(transfer(audit, { transferId: 'T2', toAgency: 'court' })).thenRefuses('not-lead-holder');
    });
  });

  describe('AcknowledgeTransfer (签收)', () => {
    it('the receiving agency acknowledges', () => {
      given(leadDecider, registered, transferred).when(ack(police)).then([acknowledged]);
    });

    it('the office may acknowledge on behalf of the receiver; the event names the receiver', () => {
      given(leadDecider, registered, transferred).when(ack(office)).then([acknowledged]);
    });

    it('the sender may not acknowledge its own transfer', () => {
      given(leadDecider, registered, transferred).when(ack(audit)).thenRefuses('not-transfer-receiver', 'forbidden');
    });

    it('an unknown transfer id is not found', () => {
      given(leadDecider, registered, transferred).when(ack(police, 'T9')).thenRefuses('transfer-not-found', 'not-found');
      given(leadDecider, registered).when(ack(police)).thenRefuses('transfer-not-found', 'not-found');
    });

    it('not twice', () => {
      given(leadDecider, registered, transferred, acknowledged).when(ack(police)).thenRefuses('transfer-already-acknowledged', 'conflict');
    });
  });

  describe('AcceptTransfer (接收)', () => {
    it('requires acknowledgement first', () => {
      given(leadDecider, registered, transferred).when(accept(police)).thenRefuses('transfer-not-acknowledged', 'conflict');
    });

    it('the receiver accepts and becomes the holder', () => {
      given(leadDecider, registered, transferred, acknowledged).when(accept(police)).then([accepted]);
      expect(given(leadDecider, registered, transferred, acknowledged, accepted).state).toMatchObject({
        holderAgency: 'public-security',
        pendingTransfer: undefined,
      });
    });

    it('a third agency may not accept', () => {
      given(leadDecider, registered, transferred, acknowledged).when(accept(finance)).thenRefuses('not-transfer-receiver', 'forbidden');
    });

    it('an accepted transfer is no longer pending', () => {
      given(leadDecider, registered, transferred, acknowledged, accepted).when(accept(police)).thenRefuses('transfer-not-found', 'not-found');
    });
  });

  describe('ReturnTransfer (退回)', () => {
    const returned: LeadEvent = {
      type: 'lead.transfer-returned',
      data: { leadId: 'L1', transferId: 'T1', agency: 'public-security', toAgency: 'audit-bureau', reason: '不属本单位管辖', returnedOn: TODAY },
    };

    it('returns to the sender with a reason; the sender stays the holder', () => {
      given(leadDecider, registered, transferred, acknowledged).when(giveBack(police)).then([returned]);
      expect(given(leadDecider, registered, transferred, acknowledged, returned).state).toMatchObject({
        holderAgency: 'audit-bureau',
        pendingTransfer: undefined,
      });
    });

    it('requires a reason', () => {
      given(leadDecider, registered, transferred, acknowledged).when(giveBack(police, '')).thenRefuses('reason-required', 'invalid', 'reason');
    });

    it('requires acknowledgement first', () => {
      given(leadDecider, registered, transferred).when(giveBack(police)).thenRefuses('transfer-not-acknowledged');
    });
  });

  describe('ForwardTransfer (转送)', () => {
    it('forwarding makes a new unacknowledged transfer from the receiver to the next agency', () => {
      given(leadDecider, registered, transferred, acknowledged).when(forward(police, 'procuratorate')).then([forwarded]);
      const state = given(leadDecider, registered, transferred, acknowledged, forwarded).state;
      expect(state).toMatchObject({
        holderAgency: 'audit-bureau',
        pendingTransfer: { transferId: 'T2', fromAgency: 'public-security', toAgency: 'procuratorate', acknowledged: false, transferredOn: TODAY },
      });
    });

    it('the next receiver must acknowledge the new transfer, and returning it goes to the forwarding agency', () => {
      const history = [registered, transferred, acknowledged, forwarded];
      given(leadDecider, ...history).when(accept(procuratorate, 'T2')).thenRefuses('transfer-not-acknowledged');
      given(leadDecider, ...history).when(ack(police, 'T2')).thenRefuses('not-transfer-receiver');
      given(leadDecider, ...history)
        .when(ack(procuratorate, 'T2'))
        .then([{ type: 'lead.transfer-acknowledged', data: { leadId: 'L1', transferId: 'T2', agency: 'procuratorate', acknowledgedOn: TODAY } }]);
      given(leadDecider, ...history, { type: 'lead.transfer-acknowledged', data: { leadId: 'L1', transferId: 'T2', agency: 'procuratorate', acknowledgedOn: TODAY } })
        .when({ type: 'ReturnTransfer', transferId: 'T2', reason: '证据不足', ctx: ctx(procuratorate) })
        .then([
          { type: 'lead.transfer-returned', data: { leadId: 'L1', transferId: 'T2', agency: 'procuratorate', toAgency: 'public-security', reason: '证据不足', returnedOn: TODAY } },
        ]);
    });

    it('forwarding to itself or back to the sender is invalid', () => {
      given(leadDecider, registered, transferred, acknowledged).when(forward(police, 'public-security')).thenRefuses('forward-to-self', 'invalid', 'toAgency');
      given(leadDecider, registered, transferred, acknowledged).when(forward(police, 'audit-bureau')).thenRefuses('forward-to-sender', 'invalid', 'toAgency');
    });

    it('requires acknowledgement first and the receiving agency', () => {
      given(leadDecider, registered, transferred).when(forward(police, 'court')).thenRefuses('transfer-not-acknowledged');
      given(leadDecider, registered, transferred, acknowledged).when(forward(audit, 'court')).thenRefuses('not-transfer-receiver', 'forbidden');
    });
  });

  describe('DecideDisposition (处置)', () => {
    it('the holder decides one of the four methods', () => {
      given(leadDecider, registered).when(dispose(audit, 'preliminary-verification')).then([decided('preliminary-verification')]);
    });

    it('the office decides in the name of the holder agency', () => {
      given(leadDecider, registered).when(dispose(office, 'hold-pending')).then([decided('hold-pending')]);
    });

    it('予以了结 closes the lead', () => {
      given(leadDecider, registered).when(dispose(audit, 'close')).then([decided('close')]);
      expect(given(leadDecider, registered, decided('close')).state.status).toBe('closed');
    });

    it('only once', () => {
      given(leadDecider, registered, decided('talk-inquiry')).when(dispose(audit, 'close')).thenRefuses('disposition-already-decided', 'conflict');
      given(leadDecider, registered, decided('close')).when(dispose(audit, 'close')).thenRefuses('disposition-already-decided');
    });

    it('not while a transfer is pending', () => {
      given(leadDecider, registered, transferred).when(dispose(office)).thenRefuses('transfer-pending');
    });

    it('needs a rationale', () => {
      given(leadDecider, registered).when(dispose(audit, 'talk-inquiry', '')).thenRefuses('rationale-required', 'invalid', 'rationale');
    });

    it('refuses a method outside the four', () => {
      given(leadDecider, registered).when(dispose(audit, 'ignore' as never)).thenRefuses('method-invalid', 'invalid', 'method');
    });

    it('a non-holder agency may not decide', () => {
      given(leadDecider, registered).when(dispose(police)).thenRefuses('not-lead-holder', 'forbidden');
    });
  });

  describe('ConcludeDisposition (办结)', () => {
    const concluded: LeadEvent = {
      type: 'lead.disposition-concluded',
      data: { leadId: 'L1', method: 'talk-inquiry', conclusion: '函询已回复，予以采信', concludedOn: TODAY },
    };

    it('concludes a talk inquiry', () => {
      given(leadDecider, registered, decided('talk-inquiry')).when(conclude(audit)).then([concluded]);
    });

    it('concludes a preliminary verification', () => {
      given(leadDecider, registered, decided('preliminary-verification'))
        .when(conclude(office))
        .then([{ ...concluded, data: { ...concluded.data, method: 'preliminary-verification' } }]);
    });

    it('not before a disposition, not for hold-pending or close, and not twice', () => {
      given(leadDecider, registered).when(conclude(audit)).thenRefuses('disposition-not-decided');
      given(leadDecider, registered, decided('hold-pending')).when(conclude(audit)).thenRefuses('disposition-not-concludable');
      given(leadDecider, registered, decided('close')).when(conclude(audit)).thenRefuses('disposition-not-concludable');
      given(leadDecider, registered, decided('talk-inquiry'), concluded).when(conclude(audit)).thenRefuses('disposition-already-concluded');
    });
  });

  describe('ConvertLeadToCase (立案)', () => {
    it('converts an open lead', () => {
      given(leadDecider, registered, decided('preliminary-verification')).when(convert(office)).then([converted]);
      expect(given(leadDecider, registered, converted).state).toMatchObject({ status: 'converted', caseId: 'C1' });
    });

    it('not when closed, already converted or while a transfer is pending', () => {
      given(leadDecider, registered, decided('close')).when(convert(office)).thenRefuses('lead-closed');
      given(leadDecider, registered, converted).when(convert(office)).thenRefuses('lead-already-converted');
      given(leadDecider, registered, transferred).when(convert(office)).thenRefuses('transfer-pending');
    });

    it('only the holder or the office', () => {
      given(leadDecider, registered).when(convert(police)).thenRefuses('not-lead-holder', 'forbidden');
    });
  });
});
