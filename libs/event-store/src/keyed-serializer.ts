/**
 * Runs tasks that share a key one after another (tasks with different keys run concurrently). Used for
 * commands that all write one hot stream — a per-year ledger handing out gapless numbers: inside one
 * process they queue instead of racing, so they never conflict with each other and need no retries;
 * only writers in other processes can still conflict (and are retried with backoff).
 */
export class KeyedSerializer {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    // forget the key once the queue drains, so the map does not grow with every ledger ever used
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
