import { WakeableSleep } from './wakeable-sleep';

describe('WakeableSleep', () => {
  it('given a wakeable sleep, when woken, then it returns before its interval', async () => {
    const s = new WakeableSleep(() => true);
    const started = Date.now();
    const sleeping = s.sleep(10_000, true);
    s.wake();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('given a wake while busy, then the next wakeable sleep returns at once', async () => {
    const s = new WakeableSleep(() => true);
    s.wake();
    const started = Date.now();
    await s.sleep(10_000, true);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('given a backoff sleep, a wake does not cut it short while running, but a stop does', async () => {
    let running = true;
    const s = new WakeableSleep(() => running);
    let done = false;
    const sleeping = s.sleep(10_000, false).then(() => (done = true));
    s.wake();
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    running = false;
    s.wake();
    await sleeping;
    expect(done).toBe(true);
  });
});
