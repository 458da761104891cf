import { Agent, request as httpRequest } from 'node:http';

/**
 * A fixed-rate ("open loop") HTTP load generator: request i is due at t0 + i/rate whatever happened to
 * the earlier ones, and its latency is measured from that due time, not from when a free connection
 * finally sent it — so a server that falls behind shows it in the percentiles instead of silently
 * slowing the client down (coordinated omission).
 *
 * Why not autocannon's `overallRate`: autocannon 8 gives each connection a budget of rate/connections
 * requests per second and lets it spend the budget back to back at the start of every second, then
 * pause; the server sees a burst each second rather than a steady 1,000/s, and its correction for
 * coordinated omission assumes a 1 ms interval. autocannon remains the tool for the closed-loop ramp
 * (fixed connection counts), which is what it is built for.
 */
export interface PlannedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** called with the status and body text when the response is complete */
  onResponse?: (status: number, body: string) => void;
}

export interface OpenLoopOptions {
  baseUrl: string;
  /** requests per second */
  rate: number;
  seconds: number;
  /** connection cap; requests due while all are busy wait in the agent's queue (and the wait is counted) */
  maxSockets?: number;
  /** builds request i; called at its due time */
  next: (i: number) => PlannedRequest;
  /** give up waiting for stragglers this long after the last request was due */
  drainTimeoutMs?: number;
}

export interface OpenLoopResult {
  planned: number;
  sent: number;
  completed: number;
  statusCounts: Record<string, number>;
  errors: number;
  /** ms from due time to complete response, 2xx only */
  latenciesMs: number[];
  /** ms from due time to complete response, every completed request */
  allLatenciesMs: number[];
  /** ms the request waited for a connection before being written (due → socket assigned) */
  maxQueueMs: number;
  /** wall time from the first due time to the last response */
  elapsedMs: number;
  /** completed responses per second over elapsedMs */
  achievedRate: number;
  /** 2xx responses per second over elapsedMs */
  achieved2xxRate: number;
}

export async function runOpenLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(opts.baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 256 });
  const planned = Math.round(opts.rate * opts.seconds);
  const intervalMs = 1000 / opts.rate;
  const statusCounts: Record<string, number> = {};
  const latenciesMs: number[] = [];
  const allLatenciesMs: number[] = [];
  let sent = 0;
  let completed = 0;
  let errors = 0;
  let maxQueueMs = 0;
  let lastDone = 0;
  let inFlight = 0;

  const t0 = performance.now();
  await new Promise<void>((done) => {
    let finishedSending = false;
    const maybeDone = () => {
      if (finishedSending && inFlight === 0) done();
    };
    const fire = (i: number) => {
      const due = t0 + i * intervalMs;
      const r = opts.next(i);
      sent += 1;
      inFlight += 1;
      const headers: Record<string, string> = { ...r.headers };
      if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
      const req = httpRequest({ agent, host: url.hostname, port: url.port, method: r.method, path: r.path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const end = performance.now();
          const status = res.statusCode ?? 0;
          const ms = end - due;
          statusCounts[status] = (statusCounts[status] ?? 0) + 1;
          allLatenciesMs.push(ms);
          if (status >= 200 && status < 300) latenciesMs.push(ms);
          completed += 1;
          lastDone = end;
          inFlight -= 1;
          r.onResponse?.(status, Buffer.concat(chunks).toString('utf8'));
          maybeDone();
        });
      });
      req.on('socket', () => {
        maxQueueMs = Math.max(maxQueueMs, performance.now() - due);
      });
      req.on('error', () => {
        errors += 1;
        inFlight -= 1;
        maybeDone();
      });
      req.end(r.body);
    };
    let issued = 0;
    const tick = () => {
      const dueNow = Math.min(planned, Math.floor((performance.now() - t0) / intervalMs) + 1);
      while (issued < dueNow) fire(issued++);
      if (issued < planned) {
        setTimeout(tick, Math.max(0, Math.min(1, t0 + issued * intervalMs - performance.now())));
        return;
      }
      finishedSending = true;
      // stragglers: wait for them, but not forever
      setTimeout(() => {
        if (inFlight > 0) {
          errors += inFlight;
          inFlight = 0;
          done();
        }
      }, opts.drainTimeoutMs ?? 30_000).unref();
      maybeDone();
    };
    tick();
  });
  agent.destroy();
  const elapsedMs = Math.max(1, (lastDone || performance.now()) - t0);
  return {
    planned,
    sent,
    completed,
    statusCounts,
    errors,
    latenciesMs,
    allLatenciesMs,
    maxQueueMs,
    elapsedMs,
    achievedRate: (completed * 1000) / elapsedMs,
    achieved2xxRate: (latenciesMs.length * 1000) / elapsedMs,
  };
}
