import { cpus, totalmem } from 'node:os';

/**
 * Every benchmark prints ONE JSON document on stdout (progress goes to stderr), so results can be piped,
 * diffed and collected by `npm run bench:all`. The environment block makes a figure interpretable later.
 */
export function printResult(name: string, result: Record<string, unknown>): void {
  const doc = {
    benchmark: name,
    at: new Date().toISOString(),
    environment: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30) },
    ...result,
  };
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

/** Progress for the human watching; never on stdout. */
export function progress(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** Integer flags from the command line: `--events 1000000` → { events: 1000000 }. */
export function intArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`--${name} must be a non-negative integer`);
  return v;
}

export function stringArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : (process.argv[i + 1] ?? fallback);
}
