import { readdirSync, readFileSync } from 'node:fs';

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
  /** CPU time (user + system) per request of the process doing the work (the API, or the ceiling's SDK). */
  readonly cpuMsPerRequest?: number;
  /** CPU per request of the load generator itself, when it is not the process above (the API's HTTP client). */
  readonly loadCpuMsPerRequest?: number;
}

const msPerTick = 1000 / 100; // USER_HZ is 100 on Linux

/**
 * User + system CPU time a process has used so far, in ms, from /proc (Linux); with `withChildren`,
 * plus that of its children that have exited and been waited for.
 */
export function processCpuMs(pid: number, options: { withChildren?: boolean } = {}): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces: utime is the 12th.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const own = (fields[11] ?? 0) + (fields[12] ?? 0);
  const children = options.withChildren ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0;
  return (own + children) * msPerTick;
}

/**
 * processCpuMs of `pid` plus that of its live descendants (API_WORKERS > 1: the cluster's workers), from
 * /proc/<pid>/task/<tid>/children.
 */
export function processTreeCpuMs(pid: number): number {
  let total = processCpuMs(pid);
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
    for (const child of children ? children.split(' ') : []) total += processTreeCpuMs(Number(child));
  }
  return total;
}

/** CPU time the whole machine has spent busy so far (all cores, not idle or waiting on I/O), in ms. */
export function machineBusyMs(): number {
  const fields = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1);
  const ticks = fields.map(Number);
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return (total - (ticks[3] ?? 0) - (ticks[4] ?? 0)) * msPerTick;
}

/** runLoad, plus the CPU per request that the process `pid` spent while it ran. */
export async function runLoadMeasuringCpu(
  pid: number,
  options: { concurrency: number; durationMs: number; bytesPerRequest: number },
  work: () => Promise<void>,
): Promise<LoadResult> {
  const cpuBefore = processTreeCpuMs(pid);
  const ownCpuBefore = process.cpuUsage();
  const result = await runLoad(options, work);
  const cpuMs = processTreeCpuMs(pid) - cpuBefore;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const perRequest = (ms: number) => Math.round((ms / Math.max(1, result.requests)) * 100) / 100;
  return {
    ...result,
    cpuMsPerRequest: perRequest(cpuMs),
    ...(pid === process.pid ? {} : { loadCpuMsPerRequest: perRequest((ownCpu.user + ownCpu.system) / 1000) }),
  };
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
