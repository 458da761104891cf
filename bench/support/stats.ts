/** Nearest-rank percentile of a sample (p in 0..100); the sample need not be sorted. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export const median = (sample: readonly number[]): number => percentile(sample, 50);

/** Round for display: figures are noisy on 2 cores, more digits would be false precision. */
export const round = (n: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** Sampled resident set size and heap while `work` runs: the "memory does not grow" evidence. */
export async function withMemorySamples<T>(work: () => Promise<T>, everyMs = 250): Promise<{ result: T; rssMiB: number[]; heapMiB: number[] }> {
  const rssMiB: number[] = [];
  const heapMiB: number[] = [];
  const sample = () => {
    const m = process.memoryUsage();
    rssMiB.push(round(m.rss / 2 ** 20));
    heapMiB.push(round(m.heapUsed / 2 ** 20));
  };
  sample();
  const timer = setInterval(sample, everyMs);
  try {
    const result = await work();
    sample();
    return { result, rssMiB, heapMiB };
  } finally {
    clearInterval(timer);
  }
}
