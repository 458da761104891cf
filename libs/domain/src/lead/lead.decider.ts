import type { Actor } from '../shared/actor';
import type { AgencyCode } from '../shared/agency';
import type { Decider } from '../shared/decider';
import { refuse } from '../shared/domain-error';
import { actsFor, assertCanWrite, requireDateNotAfterToday, requireOneOf, requireText } from '../shared/guards';
import type { LocalDate } from '../shared/local-date';
import type { LeadCommand } from './lead.commands';
import { DISPOSITION_METHODS, LEAD_SOURCES, type DispositionMethod, type LeadEvent, type LeadSource, type Subject } from './lead.events';
import { decideLeadReminder, rememberLeadReminder } from '../reminders/lead-reminders';

/** A transfer (线索移送) that has been sent and not yet accepted, returned or forwarded. */
export interface PendingTransfer {
  transferId: string;
  fromAgency: AgencyCode;
  toAgency: AgencyCode;
  acknowledged: boolean; // 签收
  transferredOn: LocalDate;
}

export interface LeadDisposition {
  method: DispositionMethod;
  rationale: string;
  agency: AgencyCode;
  decidedOn: LocalDate;
  concluded: boolean;
  conclusion?: string;
  concludedOn?: LocalDate;
}

export interface LeadFacts {
  leadId: string;
  ledgerNo: string;
  /** the agency that currently holds (is responsible for) the lead */
  holderAgency: AgencyCode;
  reportingAgency: AgencyCode;
  subject: Subject;
  source: LeadSource;
  allegation: string;
  receivedOn: LocalDate;
  important: boolean;
  pendingTransfer?: PendingTransfer;
  disposition?: LeadDisposition;
  caseId?: string;
  caseNo?: string;
  /** reminder rungs already fired (催办 is idempotent per clock, step and due date) */
  reminders?: readonly string[];
}

export type LeadState =
  | { status: 'none' }
  | (LeadFacts & { status: 'registered' }) // 在办
  | (LeadFacts & { status: 'closed' }) // 予以了结
  | (LeadFacts & { status: 'converted' }); // 已立案

type ExistingLead = Exclude<LeadState, { status: 'none' }>;

/** Dispositions whose work has an end that is recorded (函询 answered, 初核 finished). */
const CONCLUDABLE: readonly DispositionMethod[] = ['talk-inquiry', 'preliminary-verification'];

function existing(state: LeadState): ExistingLead {
  if (state.status === 'none') return refuse('lead-not-found', '线索不存在', 'not-found');
  return state;
}

/** A lead in the hands of an agency must be handled by that agency (or the office that routes leads). */
function assertHolder(actor: Actor, lead: ExistingLead): void {
  if (!actsFor(actor, lead.holderAgency)) refuse('not-lead-holder', '只有线索承办单位或协调小组办公室可以办理', 'forbidden');
}

/** Only the agency a transfer was sent to (or the office) answers it. */
function assertReceiver(actor: Actor, pending: PendingTransfer): void {
  if (!actsFor(actor, pending.toAgency)) refuse('not-transfer-receiver', '只有接收单位或协调小组办公室可以办理该移送', 'forbidden');
}

/** A converted or closed lead is finished: it cannot move between agencies any more. */
function assertStillOpen(lead: ExistingLead): void {
  if (lead.status === 'converted') refuse('lead-already-converted', '线索已立案，不能再办理此事项');
  if (lead.status === 'closed') refuse('lead-closed', '线索已予以了结，不能再办理此事项');
}

function assertNoPendingTransfer(lead: ExistingLead): void {
  if (lead.pendingTransfer) refuse('transfer-pending', '线索正在移送中，待接收单位办理后再操作');
}

function pendingTransfer(lead: ExistingLead, transferId: string): PendingTransfer {
  const pending = lead.pendingTransfer;
  if (!pending || pending.transferId !== transferId) return refuse('transfer-not-found', '移送记录不存在或已办结', 'not-found');
  return pending;
}

/** Accept, return and forward are answers to a transfer that was received: 签收 comes first. */
function acknowledgedTransfer(actor: Actor, lead: ExistingLead, transferId: string): PendingTransfer {
  const pending = pendingTransfer(lead, transferId);
  assertReceiver(actor, pending);
  if (!pending.acknowledged) refuse('transfer-not-acknowledged', '接收单位须先签收，才能接收、转送或退回');
  return pending;
}

export const leadDecider: Decider<LeadCommand, LeadState, LeadEvent> = {
  initialState: { status: 'none' },

  decide(command, state) {
    const { actor, today } = command.ctx;
    assertCanWrite(actor);
    switch (command.type) {
      case 'RegisterLead': {
        if (state.status !== 'none') refuse('lead-already-registered', '线索已登记');
        // an agency submits its own leads; only the office registers on another agency's behalf
        if (actor.role === 'agency' && actor.agency !== command.reportingAgency) {
          refuse('not-own-agency', '成员单位只能以本单位名义报送线索', 'forbidden');
        }
        if (actor.role !== 'agency' && actor.role !== 'office') refuse('office-only', '只有协调小组办公室或成员单位可以登记线索', 'forbidden');
        requireOneOf(command.source, LEAD_SOURCES, 'source', '线索来源');
        requireDateNotAfterToday(command.receivedOn, today, 'receivedOn', 'received-in-future');
        requireText(command.allegation, 'allegation', 'allegation-required', '反映问题');
        requireText(command.subject?.name, 'subject.name', 'subject-required', '被反映人姓名');
        const { informant } = command;
        return [
          {
            type: 'lead.registered',
            data: {
              leadId: command.leadId,
              ledgerNo: command.ledgerNo,
              source: command.source,
              reportingAgency: command.reportingAgency,
              subject: command.subject,
              allegation: command.allegation,
              ...(command.category !== undefined ? { category: command.category } : {}),
              receivedOn: command.receivedOn,
              important: command.important,
              hasInformant: informant !== undefined,
            },
            // the informant's identity (举报人) is only ever in the confidential part, never in data
            ...(informant !== undefined ? { confidential: { informant } } : {}),
          },
        ];
      }

      case 'TransferLead': {
        const lead = existing(state);
        assertHolder(actor, lead);
        assertStillOpen(lead);
        assertNoPendingTransfer(lead);
        if (command.toAgency === lead.holderAgency) refuse('transfer-to-self', '不能移送给本单位', 'invalid', 'toAgency');
        requireText(command.letterNo, 'letterNo', 'letter-no-required', '移送函号');
        requireText(command.reason, 'reason', 'reason-required', '移送理由');
        return [
          {
            type: 'lead.transferred',
            data: {
              leadId: lead.leadId,
              transferId: command.transferId,
              fromAgency: lead.holderAgency,
              toAgency: command.toAgency,
              letterNo: command.letterNo,
              reason: command.reason,
              transferredOn: today,
            },
          },
        ];
      }

      case 'AcknowledgeTransfer': {
        const lead = existing(state);
        const pending = pendingTransfer(lead, command.transferId);
        assertReceiver(actor, pending);
        if (pending.acknowledged) refuse('transfer-already-acknowledged', '该移送已签收');
        return [
          {
            type: 'lead.transfer-acknowledged',
            data: { leadId: lead.leadId, transferId: pending.transferId, agency: pending.toAgency, acknowledgedOn: today },
          },
        ];
      }

      case 'AcceptTransfer': {
        const lead = existing(state);
        const pending = acknowledgedTransfer(actor, lead, command.transferId);
        return [
          {
            type: 'lead.transfer-accepted',
            data: { leadId: lead.leadId, transferId: pending.transferId, agency: pending.toAgency, acceptedOn: today },
          },
        ];
      }

      case 'ReturnTransfer': {
        const lead = existing(state);
        const pending = acknowledgedTransfer(actor, lead, command.transferId);
        requireText(command.reason, 'reason', 'reason-required', '退回理由');
        return [
          {
            type: 'lead.transfer-returned',
            data: {
              leadId: lead.leadId,
              transferId: pending.transferId,
              agency: pending.toAgency,
              toAgency: pending.fromAgency, // 退回 goes back to whoever sent it
              reason: command.reason,
              returnedOn: today,
            },
          },
        ];
      }

      case 'ForwardTransfer': {
        const lead = existing(state);
        const pending = acknowledgedTransfer(actor, lead, command.transferId);
        if (command.toAgency === pending.toAgency) refuse('forward-to-self', '不能转送给本单位', 'invalid', 'toAgency');
        // sending it back to the sender is a 退回 (with its own reason and event), not a 转送
        if (command.toAgency === pending.fromAgency) refuse('forward-to-sender', '退回移送单位请使用“退回”', 'invalid', 'toAgency');
        if (command.nextTransferId === pending.transferId) refuse('transfer-id-reused', '转送须使用新的移送编号', 'invalid', 'nextTransferId');
        requireText(command.letterNo, 'letterNo', 'letter-no-required', '移送函号');
        requireText(command.reason, 'reason', 'reason-required', '转送理由');
        return [
          {
            type: 'lead.transfer-forwarded',
            data: {
              leadId: lead.leadId,
              transferId: pending.transferId,
              nextTransferId: command.nextTransferId,
              fromAgency: pending.toAgency,
              toAgency: command.toAgency,
              letterNo: command.letterNo,
              reason: command.reason,
              forwardedOn: today,
            },
          },
        ];
      }

      case 'DecideDisposition': {
        const lead = existing(state);
        assertHolder(actor, lead);
        if (lead.disposition) refuse('disposition-already-decided', '该线索已确定处置方式');
        assertStillOpen(lead);
        assertNoPendingTransfer(lead);
        requireOneOf(command.method, DISPOSITION_METHODS, 'method', '处置方式');
        requireText(command.rationale, 'rationale', 'rationale-required', '处置理由');
        return [
          {
            type: 'lead.disposition-decided',
            data: { leadId: lead.leadId, method: command.method, rationale: command.rationale, agency: lead.holderAgency, decidedOn: today },
          },
        ];
      }

      case 'ConcludeDisposition': {
        const lead = existing(state);
        assertHolder(actor, lead);
        const disposition = lead.disposition;
        if (!disposition) return refuse('disposition-not-decided', '尚未确定处置方式');
        // only 谈话函询 and 初步核实 have a piece of work that ends; 暂存待查 and 予以了结 do not
        if (!CONCLUDABLE.includes(disposition.method)) refuse('disposition-not-concludable', '该处置方式无需办结');
        if (disposition.concluded) refuse('disposition-already-concluded', '该处置已办结');
        requireText(command.conclusion, 'conclusion', 'conclusion-required', '办结情况');
        return [
          {
            type: 'lead.disposition-concluded',
            data: { leadId: lead.leadId, method: disposition.method, conclusion: command.conclusion, concludedOn: today },
          },
        ];
      }

      case 'ConvertLeadToCase': {
        const lead = existing(state);
        assertHolder(actor, lead);
        assertStillOpen(lead);
        assertNoPendingTransfer(lead);
        requireDateNotAfterToday(command.convertedOn, today, 'convertedOn');
        return [
          {
            type: 'lead.converted-to-case',
            data: { leadId: lead.leadId, caseId: command.caseId, caseNo: command.caseNo, convertedOn: command.convertedOn },
          },
        ];
      }

      case 'RemindLeadTransfer':
      case 'EscalateLeadTransfer':
      case 'RemindLeadDisposition':
      case 'EscalateLeadDisposition':
        return decideLeadReminder(command, state);

      default: {
        const unhandled: never = command;
        throw new Error(`unhandled lead command ${JSON.stringify(unhandled)}`);
      }
    }
  },

  evolve(state, event) {
    if (event.type === 'lead.registered') {
      const d = event.data;
      return {
        status: 'registered',
        leadId: d.leadId,
        ledgerNo: d.ledgerNo,
        holderAgency: d.reportingAgency,
        reportingAgency: d.reportingAgency,
        subject: d.subject,
        source: d.source,
        allegation: d.allegation,
        receivedOn: d.receivedOn,
        important: d.important,
      };
    }
    if (state.status === 'none') return state; // nothing else can start a lead stream
    switch (event.type) {
      case 'lead.transferred': {
        const d = event.data;
        return {
          ...state,
          pendingTransfer: { transferId: d.transferId, fromAgency: d.fromAgency, toAgency: d.toAgency, acknowledged: false, transferredOn: d.transferredOn },
        };
      }
      case 'lead.transfer-acknowledged':
        return state.pendingTransfer ? { ...state, pendingTransfer: { ...state.pendingTransfer, acknowledged: true } } : state;
      case 'lead.transfer-accepted':
        return { ...state, holderAgency: event.data.agency, pendingTransfer: undefined };
      case 'lead.transfer-returned':
        // the lead rests with the agency it was returned to (the sender of that transfer)
        return { ...state, holderAgency: event.data.toAgency, pendingTransfer: undefined };
      case 'lead.transfer-forwarded': {
        const d = event.data;
        // the holder does not change until someone accepts: the forwarding agency never took the lead on
        return {
          ...state,
          pendingTransfer: { transferId: d.nextTransferId, fromAgency: d.fromAgency, toAgency: d.toAgency, acknowledged: false, transferredOn: d.forwardedOn },
        };
      }
      case 'lead.disposition-decided': {
        const d = event.data;
        const disposition: LeadDisposition = { method: d.method, rationale: d.rationale, agency: d.agency, decidedOn: d.decidedOn, concluded: false };
        return d.method === 'close' ? { ...state, status: 'closed', disposition } : { ...state, disposition };
      }
      case 'lead.disposition-concluded':
        return state.disposition
          ? { ...state, disposition: { ...state.disposition, concluded: true, conclusion: event.data.conclusion, concludedOn: event.data.concludedOn } }
          : state;
      case 'lead.converted-to-case':
        return { ...state, status: 'converted', caseId: event.data.caseId, caseNo: event.data.caseNo };
      case 'lead.transfer-reminder-sent':
      case 'lead.transfer-escalated':
      case 'lead.disposition-reminder-sent':
      case 'lead.disposition-escalated':
        return rememberLeadReminder(state, event);
      default: {
        const unhandled: never = event;
        return unhandled;
      }
    }
  },
};
