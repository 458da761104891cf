import { Gauge, register } from 'prom-client';
import type { IntegrationRelay } from './integration-relay';

/**
 * Prometheus gauges for the integration relay, on prom-client's global registry (served at /metrics by
 * both processes). Values are read when scraped, from the relay itself and its checkpoint row, so an api
 * replica without a running relay still reports the shared relay's lag. Labels: the relay's name only.
 */
const relays = new Set<IntegrationRelay>();

function gauge(name: string, help: string, collect: (g: Gauge<'relay'>) => Promise<void> | void): void {
  if (register.getSingleMetric(name)) return;
  new Gauge<'relay'>({
    name,
    help,
    labelNames: ['relay'],
    async collect() {
      this.reset();
      await collect(this);
    },
  });
}

export function instrumentRelay(relay: IntegrationRelay): () => void {
  relays.add(relay);
  gauge('coord_relay_lag_events', 'Events in the log not yet acknowledged by the broker (head − relay checkpoint)', async (g) => {
    for (const r of relays) g.set({ relay: r.name }, (await r.lag()).events);
  });
  gauge('coord_relay_published_messages', 'Messages this process published and had acknowledged since it started', (g) => {
    for (const r of relays) g.set({ relay: r.name }, r.published);
  });
  gauge('coord_relay_healthy', '1 while the last relay batch succeeded, 0 while it is retrying (broker down?)', (g) => {
    for (const r of relays) g.set({ relay: r.name }, r.lastError ? 0 : 1);
  });
  return () => relays.delete(relay);
}
