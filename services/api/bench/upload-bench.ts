import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localCredentials, startLocalStack } from '@photo-pipeline/local-stack';
import { spawnApi } from '../test/support/api-process.ts';
import { type LoadResult, machineBusyMs, processCpuMs, processTreeCpuMs } from './load-loop.ts';
import { findPeerPython, type PeerProcess, spawnPeer } from './peer-process.ts';

const concurrency = 16;
const caseDurationMs = Number(process.env.UPLOAD_BENCH_CASE_MS ?? 5_000);
// UPLOAD_BENCH_WARMUP_MS: load before each measured case, in each load process (the API and ceiling alike).
// Long enough for V8 to have compiled the hot paths of a fresh load process, the ceiling's SDK and the
// API's request path: a server is measured as it runs for hours, not in its first second.
const warmUpMs = Number(process.env.UPLOAD_BENCH_WARMUP_MS ?? 5_000);
// UPLOAD_BENCH_ROUNDS: ceiling and API measured alternately this many times per payload, so a drift in
// the machine's speed (seen here at up to ±30 % over a minute) falls on both paths alike.
const rounds = Math.max(1, Number(process.env.UPLOAD_BENCH_ROUNDS ?? 3));
const allPayloads = [
  { label: '240KB', bytes: 240 * 1024 },
  { label: '1.8MB', bytes: Math.round(1.8 * 1024 * 1024) },
] as const;
// UPLOAD_BENCH_PAYLOADS=240KB runs one payload only (while iterating); the default runs both.
const payloadFilter = process.env.UPLOAD_BENCH_PAYLOADS?.split(',');
const payloads = allPayloads.filter((payload) => !payloadFilter || payloadFilter.includes(payload.label));
const target = 0.7;
/** The API's req/s over the peer's (the seed's FastAPI + boto3 design), issue 16. */
const peerTarget = 2;
const maxConcurrentUploads = 64;

/**
 * The upload benchmark: for a ~240 KB and a ~1.8 MB JPEG at concurrency 16, the API (its own process,
 * as in its container, multipart over HTTP) against the ceiling: the same bytes put by the SDK straight
 * into S3 plus one SQS send each, no HTTP, also from its own process. Both against the same embedded
 * emulators, which run alone in this process; each load generator has a process of its own.
 */
export async function runUploadBench(): Promise<object> {
  const stack = await startLocalStack({ port: 0 });
  const sdk = {
    region: stack.region,
    endpoint: stack.endpoint,
    credentials: localCredentials,
    maxAttempts: 1,
  };
  const s3 = new S3Client({ ...sdk, forcePathStyle: true });
  const sqs = new SQSClient(sdk);
  const bucket = stack.resources.names.uploadsBucket;
  const queueUrl = stack.resources.jobsQueueUrl;
  const api = await spawnApi(
    {
      ...stack.serviceEnv(),
      MAX_CONCURRENT_UPLOADS: String(maxConcurrentUploads),
      // BENCH_API_WORKERS=2 (or auto) measures the API as a node:cluster of that many processes.
      API_WORKERS: process.env.BENCH_API_WORKERS ?? '1',
      LOG_LEVEL: process.env.BENCH_API_LOG_LEVEL ?? 'info',
      // e.g. BENCH_API_NODE_OPTIONS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the API process only.
      ...(process.env.BENCH_API_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_API_NODE_OPTIONS } : {}),
    },
    { discardOutput: true },
  ).catch(async (error: unknown) => {
    s3.destroy();
    sqs.destroy();
    await stack.stop();
    throw error;
  });
  const peerPython = await findPeerPython();
  let peer: PeerProcess | undefined;
  if (peerPython.available) {
    peer = await spawnPeer(peerPython.python, stack.serviceEnv()).catch(async (error: unknown) => {
      await api.stop();
      s3.destroy();
      sqs.destroy();
      await stack.stop();
      throw error;
    });
  }
  const cases: Record<string, unknown>[] = [];
  const ratios: Record<string, number> = {};
  const peerRatios: Record<string, number> = {};
  const peerRoundRatios: Record<string, number[]> = {};
  const roundRatios: Record<string, number[]> = {};
  const medianRounds: Record<string, { ceiling: LoadResult; api: LoadResult; peer?: LoadResult }> = {};
  try {
    for (const payload of payloads) {
      const record = async (
        path: string,
        round: number,
        measuring: Promise<LoadResult>,
      ): Promise<LoadResult> => {
        // The emulators run in this process: their CPU per request shows how close they are to the limit.
        // The machine's busy time less ours (this process, its load worker, the API) is what other
        // processes took: a run where they took much is not a fair measurement.
        const emulatorCpuBefore = process.cpuUsage();
        const ours = () =>
          processCpuMs(process.pid, { withChildren: true }) +
          processTreeCpuMs(api.pid) +
          (peer ? processCpuMs(peer.pid) : 0);
        const oursBefore = ours();
        const machineBefore = machineBusyMs();
        const started = performance.now();
        const result = await measuring;
        const elapsedMs = performance.now() - started;
        const othersMs = machineBusyMs() - machineBefore - (ours() - oursBefore);
        const emulatorCpu = process.cpuUsage(emulatorCpuBefore);
        const emulatorCpuMs = (emulatorCpu.user + emulatorCpu.system) / 1000;
        cases.push({
          payload: payload.label,
          path,
          round,
          ...result,
          // Over warm-up and measurement, so a little high.
          emulatorCpuMsPerRequest: roundTo2(emulatorCpuMs / Math.max(1, result.requests)),
          coresBusyWithOtherWork: roundTo2(Math.max(0, othersMs) / elapsedMs),
        });
        await clear(s3, sqs, bucket, queueUrl);
        return result;
      };
      const ceilingRuns: LoadResult[] = [];
      const apiRuns: LoadResult[] = [];
      const peerRuns: LoadResult[] = [];
      for (let round = 1; round <= rounds; round++) {
        ceilingRuns.push(
          await record(
            'sdk-direct (ceiling)',
            round,
            runWorker(ceilingWorker, {
              endpoint: stack.endpoint,
              region: stack.region,
              bucket,
              queueUrl,
              maxConcurrentUploads,
              bytes: payload.bytes,
              concurrency,
              durationMs: caseDurationMs,
              warmUpMs,
            }),
          ),
        );
        apiRuns.push(
          await record(
            'api',
            round,
            runWorker(httpWorker, {
              url: api.url,
              serverPid: api.pid,
              bytes: payload.bytes,
              concurrency,
              durationMs: caseDurationMs,
              warmUpMs,
            }),
          ),
        );
        if (peer) {
          peerRuns.push(
            await record(
              'peer (FastAPI + boto3)',
              round,
              runWorker(httpWorker, {
                url: peer.url,
                serverPid: peer.pid,
                bytes: payload.bytes,
                concurrency,
                durationMs: caseDurationMs,
                warmUpMs,
              }),
            ),
          );
        }
      }
      if (peerRuns.length > 0) {
        peerRoundRatios[payload.label] = apiRuns.map((run, index) =>
          roundTo2(run.reqPerSec / (peerRuns[index]?.reqPerSec ?? Number.NaN)),
        );
        peerRatios[payload.label] = roundTo2(median(apiRuns) / median(peerRuns));
      }
      roundRatios[payload.label] = apiRuns.map((run, index) =>
        roundTo2(run.reqPerSec / (ceilingRuns[index]?.reqPerSec ?? Number.NaN)),
      );
      ratios[payload.label] = roundTo2(median(apiRuns) / median(ceilingRuns));
      medianRounds[payload.label] = {
        ceiling: medianRound(ceilingRuns),
        api: medianRound(apiRuns),
        ...(peerRuns.length > 0 ? { peer: medianRound(peerRuns) } : {}),
      };
    }
  } finally {
    await peer?.stop();
    await api.stop();
    s3.destroy();
    sqs.destroy();
    await stack.stop();
  }
  return {
    benchmark: 'upload',
    command: 'node --conditions=development services/api/bench/upload-bench.ts',
    machine: { cpus: cpus().length, node: process.version },
    apiWorkers: process.env.BENCH_API_WORKERS ?? '1',
    concurrency,
    caseSeconds: caseDurationMs / 1000,
    warmUpSeconds: warmUpMs / 1000,
    rounds,
    cases,
    /** Median API req/s over median ceiling req/s, per payload. */
    apiToCeilingThroughput: ratios,
    /** The same ratio within each round (ceiling then API, back to back). */
    apiToCeilingThroughputByRound: roundRatios,
    /** Median API req/s over the peer's median req/s, per payload; absent when the peer was skipped. */
    apiToPeerThroughput: peerRatios,
    apiToPeerThroughputByRound: peerRoundRatios,
    peer: peerPython.available ? { python: peerPython.python } : { skipped: peerPython.skipped },
    /** Per payload and path, the round with the median req/s (the README's table). */
    medianRounds,
    target,
    meetsTarget: Object.values(ratios).every((ratio) => ratio >= target),
    peerTarget,
    meetsPeerTarget: peerPython.available && Object.values(peerRatios).every((ratio) => ratio >= peerTarget),
  };
}

function roundTo2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The round whose req/s is the median (the lower middle one for an even count). */
function medianRound(runs: readonly LoadResult[]): LoadResult {
  const sorted = [...runs].sort((a, b) => a.reqPerSec - b.reqPerSec);
  const round = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!round) throw new Error('no rounds measured');
  return round;
}

/** The median req/s of a path's rounds. */
function median(runs: readonly LoadResult[]): number {
  const sorted = runs.map((run) => run.reqPerSec).sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

const ceilingWorker = fileURLToPath(new URL('./sdk-ceiling-worker.ts', import.meta.url));
const httpWorker = fileURLToPath(new URL('./http-load-worker.ts', import.meta.url));

/**
 * Each load runs in its own process: the ceiling's SDK calls, and the HTTP client that drives the API.
 * The emulators stay alone in this process, so both paths meet them on equal terms.
 */
async function runWorker(worker: string, settings: Record<string, unknown>): Promise<LoadResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--conditions=development', worker, JSON.stringify(settings)],
    { maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout) as LoadResult;
}

async function clear(s3: S3Client, sqs: SQSClient, bucket: string, queueUrl: string): Promise<void> {
  for (;;) {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 1000 }));
    const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [{ Key: object.Key }] : []));
    if (keys.length === 0) break;
    await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
  }
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await runUploadBench(), null, 2)}\n`);
}
