import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCliBatch } from '../support/cli-batch.ts';
import { type ResultsFixture, startResultsFixture } from '../support/results-fixture.ts';
import { runCli } from '../support/run-cli.ts';

describe('results CLI report command (a separate process against the embedded local stack)', () => {
  let fixture: ResultsFixture;
  let outputDir: string;

  beforeAll(async () => {
    outputDir = await mkdtemp(path.join(tmpdir(), 'results-cli-'));
    fixture = await startResultsFixture({ REPORT_OUTPUT_DIR: outputDir });
    await seedCliBatch(fixture);
  });

  afterAll(async () => {
    await fixture?.stop();
    await rm(outputDir, { recursive: true, force: true });
  });

  it('report: prints the summary as JSON, writes it to S3 and the HTML locally', async () => {
    const run = await runCli(['report', 'cli-batch', '--json'], fixture.env);

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      summary: { counts: Record<string, number>; failureCodes: { code: string; count: number }[] };
      files: { s3: Record<string, string>; localHtmlPath: string };
    };
    expect(result.summary.counts).toEqual({ total: 5, SUCCEEDED: 3, FAILED: 2 });
    expect(result.files.localHtmlPath.startsWith(outputDir)).toBe(true);
    expect(run.stderr).toContain(`HTML report: ${result.files.localHtmlPath}`);
    const html = await readFile(result.files.localHtmlPath, 'utf8');
    expect(html).toContain('<h1>Batch cli-batch</h1>');
    expect(html).toContain('class="chart foreground"');
    expect(html).toContain('class="chart throughput"');
    expect(html.match(/<tr role="row" class="(succeeded|failed)"/g)).toHaveLength(5);
    // Each processed image sits beside the local copy, linked by relative path.
    const localImages = await readdir(path.join(path.dirname(result.files.localHtmlPath), 'images'));
    expect(localImages).toHaveLength(3);
    for (const name of localImages) expect(html).toContain(`href="images/${encodeURIComponent(name)}"`);
    expect(run.stderr).not.toContain('could not be downloaded');
    const key =
      result.files.s3['summary.json']?.replace(`s3://${fixture.config.PROCESSED_BUCKET}/`, '') ?? '';
    expect(key).toMatch(/^reports\/batch-cli-batch\/\d{8}T\d{6}Z\/summary\.json$/);
    const stored = await fixture.deps.clients.s3.send(
      new GetObjectCommand({ Bucket: fixture.config.PROCESSED_BUCKET, Key: key }),
    );
    expect(JSON.parse((await stored.Body?.transformToString()) ?? '{}')).toEqual(result.summary);
  });

  it('report: REPORT_OUTPUT_DIR=none keeps the report in S3 only; an unwritable folder exits 1 naming it', async () => {
    const [s3Only, unwritable] = await Promise.all([
      runCli(['report', 'cli-batch', '--json', '--max-thumbnails', '0'], {
        ...fixture.env,
        REPORT_OUTPUT_DIR: 'none',
      }),
      runCli(
        ['report', 'cli-batch', '--max-thumbnails', '0', '--output-dir', '/dev/null/reports'],
        fixture.env,
      ),
    ]);

    expect(s3Only.code).toBe(0);
    const result = JSON.parse(s3Only.stdout) as {
      files: { localHtmlPath: string | null; s3: Record<string, string> };
    };
    expect(result.files.localHtmlPath).toBeNull();
    expect(s3Only.stderr).toContain(`HTML report: ${result.files.s3['report.html']} (no local copy)`);
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toContain('error REPORT_WRITE_FAILED: the report is in S3');
    expect(unwritable.stderr).toContain('/dev/null/reports');
  });

  it('report: --csv prints the summary CSV; no scope or an empty scope are told apart', async () => {
    const [csv, noScope, empty] = await Promise.all([
      runCli(['report', 'cli-batch', '--csv', '--max-thumbnails', '0'], fixture.env),
      runCli(['report'], fixture.env),
      runCli(['report', '--since', '2020-01-01', '--until', '2020-01-02'], fixture.env),
    ]);

    expect(csv.code).toBe(0);
    expect(csv.stdout.split('\r\n')).toEqual(
      expect.arrayContaining(['section,name,value', 'counts,total,5', 'failureCodes,IMAGE_CORRUPT,1']),
    );
    expect(noScope.code).toBe(2);
    expect(noScope.stderr).toContain('report needs a batch id or --since');
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain('no results for uploads from 2020-01-01');
  });
});
