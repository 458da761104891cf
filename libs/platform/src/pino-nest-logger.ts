import type { LoggerService } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { requestContext } from './request-context';

/**
 * Nest's LoggerService over pino: one JSON object per line, with the Nest context as a field. Every
 * `new Logger(context)` in the code base writes through this once it is installed with
 * `NestFactory.create(…, { logger })`.
 *
 * What never reaches a log line: request bodies (nothing logs them), the Authorization header and
 * tokens, passwords, and the informant — the redact paths are a second line of defence should someone
 * ever log an object carrying them.
 */
export const REDACTED_PATHS = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'accessToken',
  '*.accessToken',
  'informant',
  '*.informant',
  'confidential',
  '*.confidential',
];

export function createPinoLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: level === 'silent' ? 'silent' : level,
      base: { service: 'coordination' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
      // every line written while a request is handled carries its correlation id (request-context.ts)
      mixin: () => {
        const ctx = requestContext.getStore();
        return ctx ? { correlationId: ctx.correlationId } : {};
      },
    },
    destination,
  );
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes (message, stack?, context?)
    const [stack, context] = rest.length >= 2 ? rest : [undefined, rest[0]];
    const fields = { context: typeof context === 'string' ? context : undefined, ...(typeof stack === 'string' ? { stack } : {}) };
    if (isPlainObject(message)) this.pino.error({ ...message, ...fields }, 'object');
    else this.pino.error(fields, stringify(message));
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    const context = rest.length ? rest[rest.length - 1] : undefined;
    const fields = { context: typeof context === 'string' ? context : undefined };
    // An object is logged as pino's merging object, never pre-serialised into `msg`: only then do the
    // redact paths apply to it (a stringified informant would pass straight through).
    if (isPlainObject(message)) this.pino[level]({ ...message, ...fields }, 'object');
    else this.pino[level](fields, stringify(message));
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !(v instanceof Error) && !Array.isArray(v);

function stringify(message: unknown): string {
  return typeof message === 'string' ? message : message instanceof Error ? message.message : JSON.stringify(message);
}
