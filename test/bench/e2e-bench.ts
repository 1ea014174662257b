// End-to-end benchmark: 500 images through the whole local pipeline (client -> API -> SQS -> trigger ->
// processor -> DynamoDB). Reports the wall time from the first upload to the last row, and the
// upload-to-result latency per image (row.processedAt - row.uploadedAt) at p50/p99.
import { rmSync } from 'node:fs';
import { uploadFiles } from '@photo-pipeline/client';
import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { eventually } from '../support/eventually.ts';
import { startTestPipeline } from '../support/pipeline.ts';
import { writeImageFiles } from '../support/sample-files.ts';

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export interface PipelineRunOptions {
  readonly imageCount: number;
  readonly maxProcessors: number;
  readonly backlogPerProcessor: number;
}

/** Uploads `imageCount` small generated images through a fresh in-memory pipeline and times them to the last row. */
export async function measurePipeline(options: PipelineRunOptions) {
  const { imageCount } = options;
  const files = await writeImageFiles(imageCount, 0, 'bench');
  const test = await startTestPipeline({
    // One client sends every upload: without this the API's per-client rate limit (600 a minute by
    // default) would be what a run of more than 600 images measures, not the pipeline.
    env: { IDLE_EXIT_SECONDS: '5', RATE_LIMIT_PER_MINUTE: '0' },
    trigger: { maxProcessors: options.maxProcessors, backlogPerProcessor: options.backlogPerProcessor },
  });
  try {
    const started = performance.now();
    const summary = await uploadFiles({
      paths: [files.dir],
      endpoint: test.pipeline.api.url,
      concurrency: 16,
    });
    const uploadedMs = performance.now() - started;
    const rows: ResultRow[] = [];
    await eventually(
      `${imageCount} rows`,
      async () => {
        rows.length = 0;
        for await (const page of test.store.batchPages(summary.batchId, { pageSize: 500 }))
          rows.push(...page.rows);
        return rows.length === imageCount;
      },
      600_000,
    );
    const wallMs = performance.now() - started;
    const latencies = rows
      .map((row) => Date.parse(row.processedAt) - Date.parse(row.uploadedAt))
      .sort((a, b) => a - b);
    return {
      images: imageCount,
      imageSize: 'JPEG/PNG, about 40x30 to 56x40 px (the pipeline overhead, not pixel work)',
      uploadConcurrency: 16,
      maxProcessors: options.maxProcessors,
      backlogPerProcessor: options.backlogPerProcessor,
      uploadsDoneSeconds: Number((uploadedMs / 1000).toFixed(2)),
      wallSecondsFirstUploadToLastRow: Number((wallMs / 1000).toFixed(2)),
      imagesPerSecond: Number((imageCount / (wallMs / 1000)).toFixed(1)),
      uploadToResultLatencyMs: {
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        max: latencies.at(-1),
      },
      processorRunsStarted: test.pipeline.trigger.completedRuns.length + test.pipeline.trigger.runningCount(),
      failedUploads: summary.failed,
      succeededRows: rows.filter((row) => row.status === 'SUCCEEDED').length,
      rows: rows.length,
      distinctImageIds: new Set(rows.map((row) => row.imageId)).size,
    };
  } finally {
    await test.stop();
    rmSync(files.dir, { recursive: true, force: true });
  }
}

export function runEndToEndBench(): Promise<object> {
  return measurePipeline({ imageCount: 500, maxProcessors: 2, backlogPerProcessor: 100 });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await runEndToEndBench(), null, 2)}\n`);
}
