import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { newImageId, type ResultRow } from '@photo-pipeline/shared/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ResultsFixture, startResultsFixture } from '../support/results-fixture.ts';
import { runCli } from '../support/run-cli.ts';

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

type Succeeded = Extract<ResultRow, { status: 'SUCCEEDED' }>;

function succeeded(row: ResultRow | undefined): Succeeded {
  if (row?.status !== 'SUCCEEDED') throw new Error('expected a SUCCEEDED row');
  return row;
}

describe('results fetch (a separate process against the embedded local stack)', () => {
  let fixture: ResultsFixture;
  let scratch: string;
  const rows: ResultRow[] = [];
  const t0 = Date.parse('2026-07-01T09:00:00.000Z');

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'results-fetch-'));
    fixture = await startResultsFixture({ REPORT_OUTPUT_DIR: path.join(scratch, 'reports') });
    const specs = [
      { status: 'SUCCEEDED', originalName: 'beach day.jpg' },
      { status: 'FAILED', errorCode: 'IMAGE_CORRUPT', originalName: 'broken.jpg' },
      { status: 'SUCCEEDED', originalName: 'Ünïcode 写真.png' },
    ] as const;
    for (const [i, spec] of specs.entries()) {
      rows.push(
        await fixture.seedImage({ ...spec, batchId: 'fetch-batch', uploadedAt: new Date(t0 + i * 1_000) }),
      );
    }
  });

  afterAll(async () => {
    await fixture?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('fetches the processed images of a batch, each with the SHA-256 of its row, named after the upload; FAILED images are named on stderr', async () => {
    const dir = path.join(scratch, 'batch');
    const [first, , third] = rows.map((row) => row);

    const run = await runCli(['fetch', 'fetch-batch', '--output-dir', dir], fixture.env);

    expect(run.code).toBe(0);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([`${first?.imageId}_beach_day.png`, `${third?.imageId}_Ünïcode_写真.png`]);
    for (const row of [succeeded(first), succeeded(third)]) {
      const name = files.find((file) => file.startsWith(row.imageId)) ?? '';
      expect(sha256(await readFile(path.join(dir, name)))).toBe(row.output.sha256);
    }
    expect(run.stdout).toMatch(/^IMAGE ID\s+KIND\s+BYTES\s+RESULT\s+FILE/);
    expect(run.stdout).toContain(`fetched 2 of 2 file(s) into ${dir}`);
    expect(run.stderr).toContain(`not fetched: ${rows[1]?.imageId}: FAILED (IMAGE_CORRUPT)`);
    expect(run.stderr).toContain('--originals fetches the upload');
    expect(run.stderr).toContain('fetch: 2/2 files');
  });

  it('--originals adds every upload beside the processed image; a second run (--csv) keeps files that already hold the same bytes', async () => {
    const dir = path.join(scratch, 'originals');
    const image = succeeded(rows[0]);
    const failed = rows[1];
    const args = [
      'fetch',
      image.imageId,
      failed?.imageId ?? '',
      '--output-dir',
      dir,
      '--originals',
      '--json',
    ];

    const first = await runCli(args, fixture.env);
    const again = await runCli([...args.slice(0, -1), '--csv'], fixture.env);

    expect(first.code).toBe(0);
    const document = JSON.parse(first.stdout) as {
      counts: Record<string, number>;
      files: { imageId: string; kind: string; path: string; sha256: string; result: string }[];
    };
    expect(document.counts).toEqual({ written: 3, unchanged: 0, failed: 0 });
    expect(document.files.map((file) => [file.imageId, file.kind])).toEqual([
      [image.imageId, 'processed'],
      [image.imageId, 'original'],
      [failed?.imageId, 'original'],
    ]);
    for (const file of document.files) {
      expect(sha256(await readFile(file.path))).toBe(file.sha256);
    }
    expect(sha256(await readFile(path.join(dir, `${image.imageId}_beach_day.original.png`)))).toBe(
      image.input.sha256,
    );
    expect(again.code).toBe(0);
    const csvLines = again.stdout.trim().split('\r\n');
    expect(csvLines[0]).toBe('imageId,kind,path,bytes,sha256,result,errorCode,errorMessage');
    expect(csvLines.slice(1).map((line) => line.split(',')[5])).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
    ]);
  });

  it('exits 1 with CHECKSUM_MISMATCH and leaves no file when the stored object differs from its row', async () => {
    const dir = path.join(scratch, 'tampered');
    const row = succeeded(
      await fixture.seedImage({ batchId: 'tampered-batch', status: 'SUCCEEDED', originalName: 'x.png' }),
    );
    await fixture.deps.clients.s3.send(
      new PutObjectCommand({
        Bucket: row.output.bucket,
        Key: row.output.key,
        Body: Buffer.from('other bytes'),
      }),
    );

    const run = await runCli(['fetch', row.imageId, '--output-dir', dir], fixture.env);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('failed: CHECKSUM_MISMATCH');
    expect(run.stdout).toContain('0 written, 0 already there, 1 failed');
    expect(await readdir(dir)).toEqual([]);
  });

  it('exits 3 for an id that is neither an image nor a batch, and 2 for an id that cannot be either', async () => {
    const dir = path.join(scratch, 'missing');
    const unknown = newImageId(t0);

    const [missing, malformed] = await Promise.all([
      runCli(['fetch', unknown, '--output-dir', dir], fixture.env),
      runCli(['fetch', 'no spaces allowed/..', '--output-dir', dir], fixture.env),
    ]);

    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(`not fetched: ${unknown}: no image and no batch with this id`);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('error INVALID_ARGUMENT');
  });
});
