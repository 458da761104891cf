import { randomBytes, randomUUID } from 'node:crypto';
import type { NewEvent } from '@coord/event-store';

/**
 * The event the append benchmarks write: a `lead.registered` as the command handler builds it (uuid
 * event id, the real metadata shape with actor, correlation/causation ids and the request digest) with a
 * payload of realistic size. Every other lead carries an informant, which the production stack seals
 * (EncryptingEventStore, aes-256-gcm/v1) before the store sees it, so the store receives the sealed
 * envelope: that is what it stores and hashes.
 */
export interface AppendEvent {
  streamId: string;
  event: NewEvent;
}

const AGENCIES = ['discipline-commission', 'public-security', 'procuratorate', 'audit-bureau', 'finance-bureau'];
const ACTOR = { userId: 'u-3f2a9c1e', username: 'zhang.wei', role: 'office' as const, agency: 'discipline-commission' };

let counter = 0;

// random parts drawn from small pools: making fresh random bytes for every event would cost the writer
// loop more than some of the stores it measures spend per append (the ids stay fresh: randomUUID is cheap)
const POOL = 256;
const commandHashes = Array.from({ length: POOL }, () => randomBytes(32).toString('hex'));
const sealed = Array.from({ length: POOL }, () => ({
  sealed: 'aes-256-gcm/v1',
  iv: randomBytes(12).toString('base64'),
  ct: randomBytes(72).toString('base64'),
  tag: randomBytes(16).toString('base64'),
}));

export function leadRegistered(): AppendEvent {
  counter += 1;
  const i = counter;
  const leadId = randomUUID();
  const commandId = randomUUID();
  const ledgerNo = `LC-2026-${String(i % 10_000).padStart(4, '0')}`;
  const event: NewEvent = {
    eventId: randomUUID(),
    type: 'lead.registered',
    schemaVersion: 1,
    data: {
      leadId,
      ledgerNo,
      source: i % 2 ? 'petition' : 'audit-finding',
      reportingAgency: AGENCIES[i % AGENCIES.length],
      subject: { name: `干部${i % 997}`, post: '科长', unit: `县第${i % 7}局`, rank: '正科级' },
      allegation: `反映其在${2020 + (i % 6)}年工程项目招投标中收受他人财物、为他人谋取利益，涉及金额约${(i % 90) + 10}万元，另有违规报销差旅费用问题。`,
      category: '违反廉洁纪律',
      receivedOn: `2026-03-${String((i % 27) + 1).padStart(2, '0')}`,
      important: i % 3 === 0,
      hasInformant: i % 2 === 1,
    },
    metadata: {
      occurredAt: new Date().toISOString(),
      actor: ACTOR,
      correlationId: commandId,
      causationId: commandId,
      commandHash: commandHashes[i % POOL] as string,
    },
  };
  if (i % 2 === 1) {
    // shape of SealedConfidential (confidential-vault.ts); sizes of a sealed { informant: { name, contact } }
    event.confidential = { ...(sealed[(i >> 1) % POOL] as Record<string, string>) };
  }
  return { streamId: `lead-${leadId}`, event };
}
