import { randomUUID } from 'node:crypto';
import type { EventStore, NewEvent } from '@coord/event-store';

const ACTOR = { userId: 'u-audit', username: 'audit-clerk', role: 'agency' as const, agency: 'audit-bureau' };

export const INFORMANT = { name: '王举报', contact: '13912345678' };

function event(type: string, data: Record<string, unknown>, confidential?: Record<string, unknown>): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    confidential: confidential ?? null,
    metadata: { occurredAt: new Date().toISOString(), actor: ACTOR, correlationId: randomUUID(), causationId: randomUUID() },
  };
}

/**
 * Appends a small, mixed history: per lead a registration (with an informant in the confidential part)
 * and two more steps, a case with two events, and an account event that is never published.
 * Returns the published stream ids. The relay only maps envelopes, so the data is minimal.
 */
export async function appendMixedHistory(store: EventStore, leads = 3): Promise<string[]> {
  const streamsOut: string[] = [];
  for (let i = 0; i < leads; i++) {
    const leadId = randomUUID();
    const stream = `lead-${leadId}`;
    streamsOut.push(stream);
    await store.append(stream, [event('lead.registered', { leadId, ledgerNo: `LC-2026-${i}`, hasInformant: true }, { informant: INFORMANT })], 0);
    await store.append('account-someone', [event('account.created', { username: 'someone' }, { passwordHash: 'x' })], 'any');
    await store.append(stream, [event('lead.transferred', { leadId, toAgency: 'procuratorate' }), event('lead.transfer-acknowledged', { leadId })], 1);
  }
  const caseId = randomUUID();
  const caseStream = `case-${caseId}`;
  streamsOut.push(caseStream);
  await store.append(caseStream, [event('case.filed', { caseId }), event('case.progress-reported', { caseId, stage: 'investigation' })], 0);
  return streamsOut;
}

/** Appends `n` events to one new lead stream (keeps per-stream order checks meaningful). */
export async function appendLeadSteps(store: EventStore, n: number): Promise<string> {
  const leadId = randomUUID();
  const stream = `lead-${leadId}`;
  await store.append(stream, [event('lead.registered', { leadId, hasInformant: true }, { informant: INFORMANT })], 0);
  for (let i = 1; i < n; i++) await store.append(stream, [event('lead.transferred', { leadId, step: i })], i);
  return stream;
}
