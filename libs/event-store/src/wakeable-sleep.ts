/**
 * The pause between polls of a log follower (projection runner, integration relay): a poll-interval sleep
 * that a local append cuts short (`wake()`, called from EventStore.onAppended), and a backoff sleep that
 * only a stop cuts short — a stopping follower must not wait out a long backoff. A wake that arrives while
 * the follower is busy is remembered, so the next wakeable sleep returns at once instead of missing it.
 */
export class WakeableSleep {
  private pending = false;
  private sleeper?: () => void;

  constructor(private readonly isRunning: () => boolean) {}

  wake(): void {
    this.pending = true;
    this.sleeper?.();
  }

  sleep(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleeper = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleeper = wakeable ? done : () => (this.isRunning() ? undefined : done());
    });
  }
}
