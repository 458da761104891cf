import type { EventStore, StoredEvent } from '@coord/event-store';

/**
 * A small reference stream (the group's membership, the working-day calendar) folded once and re-read
 * only when its version moves. Checking the version is one indexed lookup, so every request sees the
 * latest declarations, including those written by another api replica.
 */
export class CachedStream<T> {
  private cached: { version: number; value: T } | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly streamId: string,
    private readonly fold: (events: StoredEvent[]) => T,
  ) {}

  async get(): Promise<T> {
    const version = await this.store.streamVersion(this.streamId);
    if (!this.cached || this.cached.version !== version) {
      this.cached = { version, value: this.fold(await this.store.readStream(this.streamId)) };
    }
    return this.cached.value;
  }
}
