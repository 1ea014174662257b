import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { newImageId } from '@photo-pipeline/shared/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCliBatch } from '../support/cli-batch.ts';
import { type ResultsFixture, startResultsFixture } from '../support/results-fixture.ts';
import { runCli } from '../support/run-cli.ts';

describe('results CLI reading commands (a separate process against the embedded local stack)', () => {
  let fixture: ResultsFixture;
  let batch: readonly ResultRow[] = [];
  /** An image with a long file name and batch id, uploaded alone at minute 5. */
  let long: ResultRow;

  beforeAll(async () => {
    fixture = await startResultsFixture();
    ({ batch, long } = await seedCliBatch(fixture));
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  const ids = () => batch.map((row) => row.imageId);

  it('get: prints a table of found images, with their file names and batch, and exits 0', async () => {
    const run = await runCli(['get', ...ids().slice(0, 2)], fixture.env);

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^IMAGE ID\s+FILE\s+BATCH\s+STATUS/);
    expect(lines[1]).toMatch(
      new RegExp(`^${ids()[0]}\\s+${batch[0]?.originalName}\\s+cli-batch\\s+SUCCEEDED`),
    );
    expect(lines[1]).toContain('40x30');
    expect(lines[2]).toContain('IMAGE_CORRUPT: the image cannot be decoded');
  });

  it('get, batch and list: on an 80-column terminal every line fits, long names and batch ids cut with an ellipsis', async () => {
    const narrow = { ...fixture.env, COLUMNS: '80' };

    const runs = await Promise.all([
      runCli(['get', long.imageId], narrow),
      runCli(['batch', long.batchId], narrow),
      runCli(['list', '--since', '2026-06-01T12:05:00Z', '--until', '2026-06-01T12:06:00Z'], narrow),
    ]);

    for (const run of runs) {
      expect(run.code).toBe(0);
      const lines = run.stdout.split('\n').filter((line) => /^(IMAGE ID|[0-9A-Z]{26}) /.test(line));
      expect(lines.length).toBeGreaterThan(1);
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(80);
      expect(lines[0]).toMatch(/^IMAGE ID\s+FILE\s+BATCH\s+STATUS\s+/);
      const row = lines.find((line) => line.startsWith(long.imageId)) ?? '';
      expect(row).toMatch(/ famil\S*…\S*\.jpg /);
      expect(row).toMatch(/ narr\S*…\S*2026 /);
      expect(row).toContain('SUCCEEDED');
    }
  });

  it('get, batch and list --help explain the table columns', async () => {
    const runs = await Promise.all(
      ['get', 'batch', 'list'].map((command) => runCli([command, '--help'], {})),
    );

    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Table columns:');
      expect(run.stdout).toMatch(/FILE\s+the uploaded file's name/);
      expect(run.stdout).toMatch(/BATCH\s+the batch id/);
      expect(run.stdout).toMatch(/FG %\s+foreground ratio/);
      expect(run.stdout).toContain('COLUMNS');
    }
  });

  it('get, batch and list print one JSON shape: command, query, counts, images, nextCursor', async () => {
    const [get, batchRun, list] = await Promise.all([
      runCli(['get', ids()[0] ?? '', '--json'], fixture.env),
      runCli(['batch', 'cli-batch', '--json'], fixture.env),
      runCli(
        ['list', '--since', '2026-06-01T12:00:00Z', '--until', '2026-06-01T12:01:00Z', '--json'],
        fixture.env,
      ),
    ]);

    const documents = [get, batchRun, list].map((run) => JSON.parse(run.stdout) as Record<string, unknown>);
    for (const document of documents) {
      expect(Object.keys(document)).toEqual(['command', 'query', 'counts', 'images', 'nextCursor']);
      expect(Object.keys(document.counts as object)).toEqual([
        'total',
        'SUCCEEDED',
        'FAILED',
        'PENDING',
        'UNKNOWN',
      ]);
    }
    expect(documents.map((document) => document.command)).toEqual(['get', 'batch', 'list']);
    expect(documents.map((document) => document.query)).toEqual([
      { imageIds: [ids()[0]] },
      { batchId: 'cli-batch' },
      { since: '2026-06-01T12:00:00.000Z', until: '2026-06-01T12:01:00.000Z', status: null },
    ]);
    expect(documents[0]?.images).toEqual([{ ...batch[0] }]);
    expect(documents[2]?.images).toEqual([{ ...batch[0] }]);
  });

  it('get: exits 3 and says why when images are PENDING or UNKNOWN', async () => {
    const pending = await fixture.seedPending();
    const unknown = newImageId();

    const run = await runCli(['get', ids()[0] ?? '', pending, unknown, '--json'], fixture.env);

    expect(run.code).toBe(3);
    const { images: entries, counts } = JSON.parse(run.stdout) as {
      images: { imageId: string; status: string; areaPx?: number }[];
      counts: Record<string, number>;
    };
    expect(entries.map((entry) => entry.status)).toEqual(['SUCCEEDED', 'PENDING', 'UNKNOWN']);
    expect(counts).toEqual({ total: 3, SUCCEEDED: 1, FAILED: 0, PENDING: 1, UNKNOWN: 1 });
    expect(entries[0]?.areaPx).toBe(1200);
    expect(run.stderr).toContain('2 of 3 image(s) have no result: 1 PENDING');
  });

  it('get: exits 2 on a malformed image id, before touching AWS', async () => {
    const run = await runCli(['get', 'not-an-id'], {
      ...fixture.env,
      AWS_ENDPOINT_URL: 'http://127.0.0.1:1',
    });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error INVALID_ARGUMENT: invalid image id "not-an-id"');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on commander usage errors (unknown command or option, missing argument)', async () => {
    const runs = await Promise.all([
      runCli(['frobnicate'], fixture.env),
      runCli(['batch'], fixture.env),
      runCli(['list', '--colour'], fixture.env),
      runCli(['list', '--json', '--csv'], fixture.env),
    ]);

    expect(runs.map((run) => run.code)).toEqual([2, 2, 2, 2]);
    expect(runs[0]?.stderr).toContain("unknown command 'frobnicate'");
    expect(runs[1]?.stderr).toContain("missing required argument 'batchId'");
    expect(runs[2]?.stderr).toContain("unknown option '--colour'");
    expect(runs[3]?.stderr).toContain('choose one of --json and --csv');
  });

  it('batch: reads every page of the batch index in upload order, with counts', async () => {
    const run = await runCli(['batch', 'cli-batch', '--page-size', '2', '--json'], fixture.env);

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      counts: Record<string, number>;
      images: { imageId: string }[];
      nextCursor: string | null;
    };
    expect(result.images.map((image) => image.imageId)).toEqual(ids());
    expect(result.counts).toEqual({ total: 5, SUCCEEDED: 3, FAILED: 2, PENDING: 0, UNKNOWN: 0 });
    expect(result.nextCursor).toBeNull();
  });

  it('batch: --limit hands out a cursor and --cursor continues; --csv has a header and one line per image', async () => {
    const first = await runCli(['batch', 'cli-batch', '--limit', '2', '--csv'], fixture.env);
    const cursor = /--cursor (\S+)/.exec(first.stderr)?.[1];
    expect(cursor).toBeDefined();
    const rest = await runCli(['batch', 'cli-batch', '--cursor', cursor ?? '', '--csv'], fixture.env);

    expect(first.code).toBe(0);
    expect(rest.code).toBe(0);
    const firstLines = first.stdout.trim().split('\r\n');
    const restLines = rest.stdout.trim().split('\r\n');
    expect(firstLines[0]).toMatch(/^imageId,batchId,status,originalName,width,height,areaPx/);
    expect([...firstLines.slice(1), ...restLines.slice(1)].map((line) => line.split(',')[0])).toEqual(ids());
    expect(restLines[2]).toContain('UNSUPPORTED_MEDIA_TYPE');
  });

  it('batch: exits 3 for a batch without rows', async () => {
    const run = await runCli(['batch', 'never-uploaded'], fixture.env);

    expect(run.code).toBe(3);
    expect(run.stderr).toContain('batch never-uploaded not found');
  });

  it('list: filters by time range and status through the upload-day index', async () => {
    const run = await runCli(
      [
        'list',
        '--since',
        '2026-06-01T12:01:00Z',
        '--until',
        '2026-06-01T12:04:00Z',
        '--status',
        'failed',
        '--json',
      ],
      fixture.env,
    );

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { images: { imageId: string; status: string }[] };
    // Minutes 1 and 3 failed; minute 4 is excluded (until is exclusive); newest first.
    expect(result.images.map((image) => image.imageId)).toEqual([ids()[3], ids()[1]]);
  });

  it('batches: lists the batches with uploads in the range, latest first, with counts and first and last upload', async () => {
    const range = ['--since', '2026-06-01', '--until', '2026-06-02'];

    const [table, json, limited] = await Promise.all([
      runCli(['batches', ...range], fixture.env),
      runCli(['batches', ...range, '--json'], fixture.env),
      runCli(['batches', ...range, '--limit', '1', '--csv'], fixture.env),
    ]);

    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(
      /^BATCH\s+IMAGES\s+SUCCEEDED\s+FAILED\s+FIRST UPLOAD \(UTC\)\s+LAST UPLOAD \(UTC\)\s+LAST RESULT \(UTC\)$/,
    );
    expect(lines[1]).toMatch(
      /^narrow-terminal-batch-with-a-long-name-2026\s+1\s+1\s+0\s+2026-06-01 12:05:00/,
    );
    expect(lines[2]).toMatch(
      /^cli-batch\s+5\s+3\s+2\s+2026-06-01 12:00:00\s+2026-06-01 12:04:00\s+2026-06-01 12:04:00/,
    );
    expect(lines[3]).toContain(
      '2 batch(es) with uploads from 2026-06-01T00:00:00.000Z to 2026-06-02T00:00:00.000Z',
    );
    const document = JSON.parse(json.stdout) as { command: string; batches: unknown[]; more: boolean };
    expect(document).toMatchObject({ command: 'batches', more: false });
    expect(document.batches[1]).toEqual({
      batchId: 'cli-batch',
      counts: { total: 5, SUCCEEDED: 3, FAILED: 2 },
      firstUploadedAt: batch[0]?.uploadedAt,
      lastUploadedAt: batch[4]?.uploadedAt,
      lastProcessedAt: batch[4]?.processedAt,
    });
    expect(limited.stdout.split('\r\n')).toEqual([
      'batchId,total,SUCCEEDED,FAILED,firstUploadedAt,lastUploadedAt,lastProcessedAt',
      expect.stringMatching(/^narrow-terminal-batch-with-a-long-name-2026,1,1,0,/),
      '',
    ]);
    expect(limited.stderr).toContain('more batches have uploads in this range: raise --limit (1)');
  });

  it('list: exits 2 on a time it cannot read', async () => {
    const run = await runCli(['list', '--since', 'yesterday-ish'], fixture.env);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--since must be an ISO date-time');
  });
});
