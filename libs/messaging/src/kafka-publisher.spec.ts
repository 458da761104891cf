import type { IntegrationMessage } from './integration-message';
import { chunksOf } from './kafka-publisher';

const message = (i: number, valueBytes: number, topic = 'coord.leads.v1'): IntegrationMessage => ({
  topic,
  key: `lead-${i}`,
  headers: { 'event-id': `e${i}` },
  value: 'x'.repeat(valueBytes),
});

describe('KafkaPublisher request chunks', () => {
  it('given a batch larger than one request may be, then it is cut into consecutive runs, in order, each within the limit', () => {
    const messages = Array.from({ length: 10 }, (_, i) => message(i, 90));
    const chunks = [...chunksOf(messages, 300)];
    // each message: key 6 + value 90 + header 'event-id' 8 + 'eN' 2 = 106 bytes → two per 300-byte request
    expect(chunks.map((c) => c.length)).toEqual([2, 2, 2, 2, 2]);
    expect(chunks.flat()).toEqual(messages);
  });

  it('given one message above the limit, then it goes alone (the broker decides), never dropped', () => {
    const messages = [message(1, 10), message(2, 1000), message(3, 10)];
    expect([...chunksOf(messages, 300)].map((c) => c.map((m) => m.key))).toEqual([['lead-1'], ['lead-2'], ['lead-3']]);
  });

  it('given a batch within the limit, then it is one request', () => {
    const messages = Array.from({ length: 3 }, (_, i) => message(i, 10));
    expect([...chunksOf(messages, 10_000)]).toEqual([messages]);
  });

  it('given messages of several topics, then each topic may fill a request up to the limit: they share requests, in order', () => {
    // 106 bytes each (see above): two per topic fit in 300 bytes, a third of the same topic starts a new request
    const messages = [message(1, 90, 'coord.leads.v1'), message(2, 90, 'coord.cases.v1'), message(3, 90, 'coord.leads.v1'), message(4, 90, 'coord.cases.v1'), message(5, 90, 'coord.leads.v1')];
    expect([...chunksOf(messages, 300)].map((c) => c.map((m) => m.key))).toEqual([['lead-1', 'lead-2', 'lead-3', 'lead-4'], ['lead-5']]);
  });
});
