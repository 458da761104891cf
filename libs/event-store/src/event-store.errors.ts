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

/** An idempotency key repeated with a different request: refused instead of answering the first result. */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly streamId: string, readonly commandId: string) {
    super(`idempotency key of command ${commandId} was already used for a different request on ${streamId}`);
    this.name = 'IdempotencyKeyReusedError';
  }
}
