import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { streams } from '@coord/domain';
import { SqliteEventStore, type NewEvent } from '@coord/event-store';
import { RecusalService, type PersonActor } from './recusal';

const registered = (leadId: string, subject: { name: string; unit: string }): NewEvent => ({
  eventId: randomUUID(),
  type: 'lead.registered',
  schemaVersion: 1,
  data: { leadId, subject },
  metadata: { occurredAt: '2026-03-02T01:00:00.000Z', actor: { userId: 'u', username: 'u', role: 'office' }, correlationId: 'c', causationId: 'c' },
});

const clerk: PersonActor = { userId: 'u-1', username: 'li', role: 'agency', agency: 'audit-bureau', fullName: '李四', unit: '县审计局' };

describe('回避 by id (RecusalService.implicatedIn)', () => {
  let store: SqliteEventStore;
  let recusal: RecusalService;

  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
    recusal = new RecusalService(store, undefined as unknown as DataSource);
  });
  afterEach(() => store.close());

  it('given a lead naming the user, then the user is implicated, and the lead is read from the store once', async () => {
    const leadId = randomUUID();
    await store.append(streams.lead(leadId), [registered(leadId, { name: '李四', unit: ' 县审计局' })], 0);
    const reads = jest.spyOn(store, 'readStream');
    expect(await recusal.implicatedIn(clerk, { kind: 'lead', id: leadId })).toBe(true);
    expect(await recusal.implicatedIn(clerk, { kind: 'lead', id: leadId })).toBe(true);
    const namesake: PersonActor = { ...clerk, fullName: '王五' };
    expect(await recusal.implicatedIn(namesake, { kind: 'lead', id: leadId })).toBe(false);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('given a lead that does not exist yet, when it is registered later, then the check sees it (a missing stream is not kept)', async () => {
    const leadId = randomUUID();
    expect(await recusal.implicatedIn(clerk, { kind: 'lead', id: leadId })).toBe(false);
    await store.append(streams.lead(leadId), [registered(leadId, { name: '李四', unit: '县审计局' })], 0);
    expect(await recusal.implicatedIn(clerk, { kind: 'lead', id: leadId })).toBe(true);
  });
});
