import type { StoredEvent } from '@coord/event-store';
import { toIntegrationMessage } from './integration-message';

const stored = (over: Partial<StoredEvent>): StoredEvent => ({
  eventId: 'e1',
  type: 'lead.registered',
  schemaVersion: 1,
  data: { leadId: 'l1', ledgerNo: 'LC-2026-0001', hasInformant: true },
  confidential: { informant: { name: '张三', contact: '13800000000' } },
  metadata: { occurredAt: '2026-11-27T02:00:00.000Z', actor: { userId: 'u1', username: 'audit-clerk', role: 'agency', agency: 'audit-bureau' }, correlationId: 'c1', causationId: 'c1' },
  streamId: 'lead-l1',
  streamVersion: 1,
  position: 7,
  recordedAt: '2026-11-27T02:00:00.010Z',
  ...over,
});

describe('toIntegrationMessage', () => {
  it('given a lead event with an informant, when mapped, then the message is keyed by stream and carries no informant', () => {
    const message = toIntegrationMessage(stored({}));
    expect(message).toBeDefined();
    expect(message!.topic).toBe('coord.leads.v1');
    expect(message!.key).toBe('lead-l1');
    expect(message!.headers).toEqual({ 'event-id': 'e1', 'event-type': 'lead.registered', 'schema-version': '1', 'correlation-id': 'c1' });
    expect(message!.value).not.toContain('张三');
    expect(message!.value).not.toContain('13800000000');
    expect(message!.value).not.toContain('audit-clerk'); // usernames stay inside too
    expect(JSON.parse(message!.value)).toMatchObject({ type: 'lead.registered', position: 7, data: { ledgerNo: 'LC-2026-0001' } });
  });

  it('given an account event, when mapped, then it is not published at all', () => {
    expect(toIntegrationMessage(stored({ type: 'account.created', streamId: 'account-admin' }))).toBeUndefined();
  });

  it('given a ledger event, then it is not published', () => {
    expect(toIntegrationMessage(stored({ type: 'ledger.number-assigned', streamId: 'ledger-lead-2026' }))).toBeUndefined();
  });
});
