import type { DomainEvent } from '../shared/decider';
import type { LocalDate } from '../shared/local-date';

/**
 * Custody of informants' identities (举报人信息). None of these events ever carries the identity: they
 * record who was allowed to see it, who saw it and why, and that it was destroyed.
 *
 * Grants live in one stream (`informant-grants`); views and the erasure live in the lead's own custody
 * stream (`informant-<leadId>`), not in the lead stream, so that reading the informant does not move the
 * lead's version (an If-Match of a colleague working on the lead is not broken by an audit record).
 */
export type InformantAccessGranted = DomainEvent<
  'informant.access-granted',
  /** leadId absent: every lead; `until` inclusive (Asia/Shanghai business date) */
  { grantId: string; username: string; leadId?: string; reason: string; until: LocalDate }
>;
export type InformantAccessRevoked = DomainEvent<'informant.access-revoked', { grantId: string; username: string; reason: string }>;
/** One disclosure: who (the event's actor), when (occurredAt) and why. */
export type InformantViewed = DomainEvent<'informant.viewed', { leadId: string; grantId: string; reason: string }>;
/** Crypto-shredding of the lead's data key: the identity is unrecoverable from here on. */
export type InformantErased = DomainEvent<'informant.erased', { leadId: string; reason: string }>;

export type InformantEvent = InformantAccessGranted | InformantAccessRevoked | InformantViewed | InformantErased;
