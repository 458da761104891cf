import { refuse } from '../shared/domain-error';
import type { LeadState } from '../lead/lead.decider';
import type { LeadAtFiling } from './case.events';

/**
 * The facts of a lead copied into case.filed, so the case's own history (and the 《案情专报》 assembled
 * from it) says what it was filed from without reading other streams. An unknown lead in a filing
 * request is bad input naming the field, not a missing case.
 */
export function leadAtFiling(state: LeadState, leadId: string): LeadAtFiling {
  if (state.status === 'none') return refuse('lead-not-found', `线索 ${leadId} 不存在`, 'invalid', 'leadIds');
  return {
    leadId: state.leadId,
    ledgerNo: state.ledgerNo,
    source: state.source,
    allegation: state.allegation,
    subject: { ...state.subject },
    receivedOn: state.receivedOn,
    ...(state.disposition
      ? { disposition: { method: state.disposition.method, rationale: state.disposition.rationale, decidedOn: state.disposition.decidedOn } }
      : {}),
  };
}
