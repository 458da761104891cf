/**
 * A refused command. `code` is a stable, machine-readable name (part of the HTTP contract: it becomes the
 * problem+json `code`); `message` is the zh-CN text shown to the person; `kind` tells the HTTP layer which
 * status family applies, so that mapping lives in one place (apps/api problem-details filter).
 */
export type DomainErrorKind =
  | 'conflict' // the state forbids this step now (409)
  | 'forbidden' // the actor may not take this step (403)
  | 'not-found' // the aggregate does not exist (404)
  | 'invalid'; // the command's content breaks a rule (422)

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'conflict',
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const refuse = (code: string, message: string, kind: DomainErrorKind = 'conflict', field?: string): never => {
  throw new DomainError(code, message, kind, field);
};
