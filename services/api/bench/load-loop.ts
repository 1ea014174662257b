/** Runs `work` from `concurrency` workers until `durationMs` has passed; returns latency figures. */
export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly reqPerSec: number;
  readonly mbPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly firstError?: string;
}

export async function runLoad(
  options: { concurrency: number; durationMs: number; bytesPerRequest: number },
  work: () => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const until = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        await work();
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: latencies.length,
    errors,
    bytes: latencies.length * options.bytesPerRequest,
    seconds: round(seconds),
    reqPerSec: round(latencies.length / seconds),
    mbPerSec: round((latencies.length * options.bytesPerRequest) / seconds / 1024 / 1024),
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    ...(firstError ? { firstError } : {}),
  };
}
