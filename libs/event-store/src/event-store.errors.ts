/** Optimistic concurrency: the stream moved on since the caller read it. Mapped to HTTP 409. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: number | 'any',
    readonly actual: number,
  ) {
    super(`wrong expected version for ${streamId}: expected ${expected}, actual ${actual}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** Some, but not all, of a batch's event ids are already stored: a client reused ids for different content. */
export class IdempotencyConflictError extends Error {
  constructor(readonly streamId: string, readonly eventId: string) {
    super(`event ${eventId} is already stored in ${streamId} in a different batch`);
    this.name = 'IdempotencyConflictError';
  }
}
