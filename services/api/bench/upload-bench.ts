import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PurgeQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { localCredentials, startLocalStack } from '@photo-pipeline/local-stack';
import { spawnApi } from '../test/support/api-process.ts';
import { type LoadResult, machineBusyMs, processCpuMs } from './load-loop.ts';

const concurrency = 16;
const caseDurationMs = Number(process.env.UPLOAD_BENCH_CASE_MS ?? 3_000);
// UPLOAD_BENCH_WARMUP_MS: load before each measured case, in each load process (the API and ceiling alike).
const warmUpMs = Number(process.env.UPLOAD_BENCH_WARMUP_MS ?? 500);
const allPayloads = [
  { label: '200KB', bytes: 200 * 1024 },
  { label: '2MB', bytes: 2 * 1024 * 1024 },
] as const;
// UPLOAD_BENCH_PAYLOADS=200KB runs one payload only (while iterating); the default runs both.
const payloadFilter = process.env.UPLOAD_BENCH_PAYLOADS?.split(',');
const payloads = allPayloads.filter((payload) => !payloadFilter || payloadFilter.includes(payload.label));
const target = 0.7;
const maxConcurrentUploads = 64;

/**
 * The upload benchmark: for a ~200 KB and a ~2 MB JPEG at concurrency 16, the API (its own process,
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
  const cases: Record<string, unknown>[] = [];
  const ratios: Record<string, number> = {};
  try {
    for (const payload of payloads) {
      const record = async (path: string, measuring: Promise<LoadResult>): Promise<LoadResult> => {
        // The emulators run in this process: their CPU per request shows how close they are to the limit.
        // The machine's busy time less ours (this process, its load worker, the API) is what other
        // processes took: a run where they took much is not a fair measurement.
        const emulatorCpuBefore = process.cpuUsage();
        const oursBefore = processCpuMs(process.pid, { withChildren: true }) + processCpuMs(api.pid);
        const machineBefore = machineBusyMs();
        const started = performance.now();
        const result = await measuring;
        const elapsedMs = performance.now() - started;
        const othersMs =
          machineBusyMs() -
          machineBefore -
          (processCpuMs(process.pid, { withChildren: true }) + processCpuMs(api.pid) - oursBefore);
        const emulatorCpu = process.cpuUsage(emulatorCpuBefore);
        const emulatorCpuMs = (emulatorCpu.user + emulatorCpu.system) / 1000;
        const round2 = (n: number) => Math.round(n * 100) / 100;
        cases.push({
          payload: payload.label,
          path,
          ...result,
          // Over warm-up and measurement, so a little high.
          emulatorCpuMsPerRequest: round2(emulatorCpuMs / Math.max(1, result.requests)),
          coresBusyWithOtherWork: round2(Math.max(0, othersMs) / elapsedMs),
        });
        await clear(s3, sqs, bucket, queueUrl);
        return result;
      };
      const ceiling = await record(
        'sdk-direct (ceiling)',
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
      );
      const measured = await record(
        'api',
        runWorker(httpWorker, {
          url: api.url,
          apiPid: api.pid,
          bytes: payload.bytes,
          concurrency,
          durationMs: caseDurationMs,
          warmUpMs,
        }),
      );
      ratios[payload.label] = Math.round((measured.reqPerSec / ceiling.reqPerSec) * 100) / 100;
    }
  } finally {
    await api.stop();
    s3.destroy();
    sqs.destroy();
    await stack.stop();
  }
  return {
    benchmark: 'upload',
    command: 'node --conditions=development services/api/bench/upload-bench.ts',
    machine: { cpus: cpus().length, node: process.version },
    concurrency,
    caseSeconds: caseDurationMs / 1000,
    cases,
    apiToCeilingThroughput: ratios,
    target,
    meetsTarget: Object.values(ratios).every((ratio) => ratio >= target),
  };
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
