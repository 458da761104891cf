/**
 * Readiness checks beyond the event store and the read-model database, registered by whatever module
 * owns a dependency (the Kafka relay and intake consumer register "kafka"). Plain TypeScript, no Nest, so
 * the api's /health/ready and the projector's /health/ready read the same registry off the
 * Infrastructure object.
 *
 * A check resolves with details (shown in the health response) when the dependency is usable and throws
 * when it is not; its error message is shown, so it must not contain secrets or personal data.
 */
export type ReadinessCheck = () => Promise<Record<string, unknown> | void>;

export interface ReadinessResult {
  status: 'up' | 'down';
  details: Record<string, unknown>;
}

export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Register (or replace) a named check; returns an unregister function. */
  register(name: string, check: ReadinessCheck): () => void {
    this.checks.set(name, check);
    return () => {
      if (this.checks.get(name) === check) this.checks.delete(name);
    };
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  /** Run every check (each bounded by `timeoutMs`, so a hanging dependency reports down instead of hanging /health). */
  async run(timeoutMs = 3_000): Promise<Record<string, ReadinessResult>> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]): Promise<[string, ReadinessResult]> => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const details = await Promise.race([
            check(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
            }),
          ]);
          return [name, { status: 'up', details: details ?? {} }];
        } catch (err) {
          return [name, { status: 'down', details: { message: err instanceof Error ? err.message : String(err) } }];
        } finally {
          clearTimeout(timer);
        }
      }),
    );
    return Object.fromEntries(entries);
  }
}
