import type { IntegrationMessage } from './integration-message';

/**
 * Where the relay hands integration messages. Contract, for every adapter:
 *  - `publish` resolves only when EVERY message of the batch is durably accepted (Kafka: acknowledged by
 *    all in-sync replicas); it rejects if any may not have been — the relay then keeps its checkpoint
 *    and sends the whole batch again (at-least-once: consumers dedupe by the `event-id` header);
 *  - messages with the same key are delivered in the order given;
 *  - `start` may be called again after a failure; `close` is idempotent.
 */
export interface IntegrationPublisher {
  readonly kind: 'kafka' | 'in-process';
  start(): Promise<void>;
  publish(messages: readonly IntegrationMessage[]): Promise<void>;
  close(): Promise<void>;
}

export type IntegrationSubscriber = (message: IntegrationMessage) => void | Promise<void>;

/**
 * The embedded default (Kafka off): the same contract, delivering to subscribers in this process, in
 * order, one message at a time. A subscriber that throws fails the batch exactly as a broker outage
 * would, so the relay retries it — the embedded profile exercises the same at-least-once path.
 */
export class InProcessPublisher implements IntegrationPublisher {
  readonly kind = 'in-process' as const;
  private readonly subscribers = new Map<string, Set<IntegrationSubscriber>>();

  /** Subscribe to one topic, or to every topic with '*'. Returns the unsubscribe function. */
  subscribe(topic: string, subscriber: IntegrationSubscriber): () => void {
    let set = this.subscribers.get(topic);
    if (!set) this.subscribers.set(topic, (set = new Set()));
    set.add(subscriber);
    return () => void set.delete(subscriber);
  }

  async start(): Promise<void> {}

  async publish(messages: readonly IntegrationMessage[]): Promise<void> {
    for (const message of messages) {
      for (const subscriber of [...(this.subscribers.get(message.topic) ?? []), ...(this.subscribers.get('*') ?? [])]) {
        await subscriber(message);
      }
    }
  }

  async close(): Promise<void> {
    this.subscribers.clear();
  }
}
