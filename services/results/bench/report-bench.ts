/**
 * Report benchmark: how long `report` takes on a large batch against the embedded local stack.
 * BENCH_ROWS rows (default 2000) of which REPORT_MAX_THUMBNAILS (default 60) have real 1024x768
 * originals and processed images. Prints one JSON line with the figures.
 *
 *   pnpm --filter @photo-pipeline/results run bench
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeReport } from '../src/adapters/write-report.ts';
import { buildReport } from '../src/core/report/build-report.ts';
import { startResultsFixture } from '../test/support/results-fixture.ts';

// The bench's own clients use the SDK's credential chain; the emulators take any keys.
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

const rows = Number(process.env.BENCH_ROWS ?? 2000);
const pictured = Number(process.env.REPORT_MAX_THUMBNAILS ?? 60);
const outputDir = path.join(tmpdir(), `results-bench-${process.pid}`);
const fixture = await startResultsFixture({
  REPORT_OUTPUT_DIR: outputDir,
  REPORT_MAX_THUMBNAILS: String(pictured),
});
try {
  const seedStarted = performance.now();
  const seedOne = (i: number) =>
    fixture.seedImage({
      batchId: 'bench-batch',
      status: i % 10 === 9 ? 'FAILED' : 'SUCCEEDED',
      width: i < pictured ? 1024 : 640 + (i % 7) * 400,
      height: i < pictured ? 768 : 480 + (i % 5) * 300,
      withoutObjects: i >= pictured,
      totalMs: 20 + (i % 50),
    });
  for (let i = 0; i < rows; i += 16) {
    await Promise.all(Array.from({ length: Math.min(16, rows - i) }, (_, j) => seedOne(i + j)));
  }
  const seedMs = performance.now() - seedStarted;

  const started = performance.now();
  const report = await buildReport(fixture.deps, { kind: 'batch', batchId: 'bench-batch' });
  const builtMs = performance.now() - started;
  const written = await writeReport(fixture.deps, report);
  const totalMs = performance.now() - started;

  console.log(
    JSON.stringify({
      bench: 'results-report',
      rows: report.rows.length,
      thumbnails: pictured,
      seedMs: Math.round(seedMs),
      buildReportMs: Math.round(builtMs),
      writeReportMs: Math.round(totalMs - builtMs),
      totalMs: Math.round(totalMs),
      htmlBytes: Buffer.byteLength(report.files['report.html']),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      localHtmlPath: written.localHtmlPath,
    }),
  );
} finally {
  await fixture.stop();
  await rm(outputDir, { recursive: true, force: true });
}
