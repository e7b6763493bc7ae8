/** A tiny benchmark harness: run a function N times, report percentiles. Figures go in the notes. */
export type BenchResult = { name: string; runs: number; p50Ms: number; p95Ms: number; p99Ms: number; opsPerSecond: number };

export async function measure(name: string, runs: number, work: (index: number) => Promise<unknown>): Promise<BenchResult> {
  const samples: number[] = [];
  const started = performance.now();
  for (let index = 0; index < runs; index++) {
    const t0 = performance.now();
    await work(index);
    samples.push(performance.now() - t0);
  }
  const total = performance.now() - started;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { name, runs, p50Ms: at(0.5), p95Ms: at(0.95), p99Ms: at(0.99), opsPerSecond: (runs / total) * 1000 };
}

export function report(results: BenchResult[]): void {
  console.table(
    results.map((r) => ({
      benchmark: r.name,
      runs: r.runs,
      "p50 ms": r.p50Ms.toFixed(2),
      "p95 ms": r.p95Ms.toFixed(2),
      "p99 ms": r.p99Ms.toFixed(2),
      "ops/s": r.opsPerSecond.toFixed(0),
    })),
  );
}
