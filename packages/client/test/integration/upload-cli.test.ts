import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ApiHarness, startApiHarness } from '@photo-pipeline/api/test-harness';
// A relative import, as the API harness below: the client does not depend on the local stack.
import { freeLoopbackPort } from '@photo-pipeline/local-stack';
import type { ImageUploadedV1, ResultRow } from '@photo-pipeline/shared/contracts';
import { gifBytes, jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeResultRow } from '../support/result-rows.ts';
import { runCli } from '../support/run-cli.ts';

let api: ApiHarness;
let folder: string;
let env: Record<string, string>;

beforeAll(async () => {
  api = await startApiHarness();
  folder = mkdtempSync(join(tmpdir(), 'cli-test-'));
  writeFileSync(join(folder, 'one.jpg'), jpegBytes({ bytes: 10_000 }));
  writeFileSync(join(folder, 'two.gif'), gifBytes());
  writeFileSync(join(folder, 'broken.jpg'), 'words, not pixels');
  env = { PHOTO_PIPELINE_ENDPOINT: api.url, INIT_CWD: folder };
});
afterAll(async () => {
  await api?.close();
  rmSync(folder, { recursive: true, force: true });
});

interface JsonReport {
  batchId: string;
  exitCode: number;
  uploaded: number;
  failed: number;
  files: { name: string; ok: boolean; imageId?: string; error?: { code: string } }[];
  wait?: { timedOut: boolean; outcomes: { imageId: string; name: string; status: string }[] };
}

/**
 * Plays the processor for one batch: waits for its queued messages, then writes one row per message with
 * the given statuses in order, as the processor would; resolves to the rows written.
 */
async function answerAsTheProcessor(
  batchId: string,
  statuses: readonly ('SUCCEEDED' | 'FAILED')[],
): Promise<ResultRow[]> {
  const seen = new Map<string, ImageUploadedV1>();
  for (let round = 0; round < 100 && seen.size < statuses.length; round += 1) {
    for (const message of await api.receiveMessages())
      if (message.batchId === batchId) seen.set(message.imageId, message);
    await sleep(100);
  }
  const rows: ResultRow[] = [];
  for (const [index, message] of [...seen.values()].entries()) {
    rows.push(
      await writeResultRow(
        api.deps.aws,
        api.deps.config.RESULTS_TABLE,
        message,
        statuses[index] ?? 'SUCCEEDED',
      ),
    );
  }
  return rows;
}

describe('pnpm upload', () => {
  it('prints help with every option and exits 0', async () => {
    const run = await runCli(['--help'], env);
    expect(run.code).toBe(0);
    for (const option of ['--endpoint', '--api-key', '--concurrency', '--wait', '--json', '--batch-id']) {
      expect(run.stdout).toContain(option);
    }
  });

  it('uploads files given relative to where pnpm was run, printing the batch id first and plain lines when not a TTY', async () => {
    const run = await runCli(['one.jpg', 'two.gif', '--batch-id', 'cli-text'], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(`batch cli-text -> ${api.url}`);
    expect(run.stdout).toMatch(/\[\d\/2\] ok {5}one\.jpg/);
    expect(lines.at(-1)).toMatch(/^uploaded 2 of 2 files of batch cli-text/);
  });

  it('exits 1 naming each failed file with its reason, after uploading the others', async () => {
    const run = await runCli(['.', '--json'], env);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(Object.keys(report)[0]).toBe('batchId');
    expect(report).toMatchObject({ uploaded: 2, failed: 1, exitCode: 1 });
    expect(report.files.find((f) => f.name === 'broken.jpg')).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED_MEDIA_TYPE' },
    });
    const text = await runCli(['broken.jpg'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/broken\.jpg: UNSUPPORTED_MEDIA_TYPE: the file is not a supported image/);
  });

  it('exits 2 with a clear message for a missing path or a bad option', async () => {
    const missing = await runCli(['nope.jpg'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder: nope.jpg');
    const bad = await runCli(['one.jpg', '--concurrency', 'zero'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--concurrency');
    for (const endpoint of ['notaurl', 'ftp://127.0.0.1/']) {
      const wrong = await runCli(['one.jpg', '--endpoint', endpoint], env);
      expect(wrong.code, wrong.stderr).toBe(2);
      expect(wrong.stderr).toContain('--endpoint');
      expect(wrong.stderr).toContain('expected an http:// or https:// URL');
      expect(wrong.stderr).not.toMatch(/\n\s+at /);
    }
    const wrongEnv = await runCli(['one.jpg'], { ...env, PHOTO_PIPELINE_ENDPOINT: 'ftp://127.0.0.1/' });
    expect(wrongEnv.code).toBe(2);
    expect(wrongEnv.stderr).toContain('PHOTO_PIPELINE_ENDPOINT');
  });

  it('with --wait, polls until every image has a result and exits 1 naming the one that failed', async () => {
    // Prepare
    const batchId = `wait-${Date.now()}`;
    const rows = answerAsTheProcessor(batchId, ['SUCCEEDED', 'FAILED']);

    // Act
    const run = await runCli(
      ['one.jpg', 'two.gif', '--batch-id', batchId, '--wait', '--json', '--concurrency', '1'],
      env,
    );
    await rows;

    // Assess
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.wait?.timedOut).toBe(false);
    expect(report.wait?.outcomes.map((o) => o.status).sort()).toEqual(['FAILED', 'SUCCEEDED']);
    expect(run.code).toBe(1);
  });

  it('with --wait, ends with every image as `results batch` prints it and the commands for the batch and its report', async () => {
    // Prepare
    const batchId = `wait-text-${Date.now()}`;
    const rows = answerAsTheProcessor(batchId, ['SUCCEEDED', 'FAILED']);

    // Act
    const run = await runCli(
      ['one.jpg', 'two.gif', '--batch-id', batchId, '--wait', '--concurrency', '1'],
      env,
    );
    const [succeeded, failed] = await rows;

    // Assess
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    const header = lines.findIndex((line) => line.startsWith('IMAGE ID'));
    expect(lines[header - 1]).toBe('processed: 1 succeeded, 1 failed');
    expect(lines[header]).toMatch(/^IMAGE ID\s+FILE\s+BATCH\s+STATUS\s+SIZE\s+AREA PX\s+FG %\s+MS\s+RESULT$/);
    const table = lines.slice(header + 1, header + 3).join('\n');
    expect(table).toMatch(
      new RegExp(
        `^${succeeded?.imageId}\\s+test\\.jpg\\s+${batchId}\\s+SUCCEEDED\\s+4x2\\s+8\\s+25\\.0\\s+12\\s+s3://processed/processed/${succeeded?.imageId}\\.jpg$`,
        'm',
      ),
    );
    expect(table).toMatch(
      new RegExp(
        `^${failed?.imageId}\\s+test\\.jpg\\s+${batchId}\\s+FAILED\\s+12\\s+IMAGE_CORRUPT: the image cannot be decoded$`,
        'm',
      ),
    );
    expect(lines.slice(header + 3, header + 6).join('\n')).toMatch(
      new RegExp(
        `^the batch and its report .*\\n  npm run results -- batch ${batchId}\\n  npm run results -- report ${batchId}$`,
      ),
    );
  });

  it('with --wait, exits 3 when the results do not come in time', async () => {
    const run = await runCli(['two.gif', '--wait', '--wait-timeout', '1'], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/processed: 0 succeeded, 0 failed, 1 still pending \(timed out\)/);
  });

  it('refuses to upload without the API key when the API requires one', async () => {
    const locked = await startApiHarness({ stack: api.stack, env: { API_KEYS: 'k-one,k-two' } });
    try {
      const objectsBefore = await locked.countOriginals();
      const without = await runCli(['two.gif', '--json'], { ...env, PHOTO_PIPELINE_ENDPOINT: locked.url });
      expect((JSON.parse(without.stdout) as JsonReport).files[0]?.error?.code).toBe('UNAUTHORIZED');
      expect(without.code).toBe(1);
      const wrong = await runCli(['two.gif', '--json', '--api-key', 'nope'], {
        ...env,
        PHOTO_PIPELINE_ENDPOINT: locked.url,
      });
      expect((JSON.parse(wrong.stdout) as JsonReport).files[0]?.error?.code).toBe('UNAUTHORIZED');
      expect(await locked.countOriginals()).toBe(objectsBefore);
      const withKey = await runCli(['two.gif', '--json'], {
        ...env,
        PHOTO_PIPELINE_ENDPOINT: locked.url,
        PHOTO_PIPELINE_API_KEY: 'k-two',
      });
      expect(withKey.code).toBe(0);
    } finally {
      await locked.close();
    }
  });

  it('stops at once with exit 2 when nothing answers at the endpoint, before trying any file', async () => {
    const closed = await closedLoopbackUrl();

    const run = await runCli(['one.jpg', 'two.gif', '--wait'], { ...env, PHOTO_PIPELINE_ENDPOINT: closed });

    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(
      `error API_UNREACHABLE: API not reachable at ${closed}: is \`npm start\` running?`,
    );
    expect(run.stdout + run.stderr).not.toContain('retry');
    expect(run.stdout).not.toContain('batch ');
  });

  it("says the endpoint looks like the AWS endpoint when pointed at the local stack's port", async () => {
    const run = await runCli(['one.jpg'], { ...env, PHOTO_PIPELINE_ENDPOINT: api.stack.endpoint });

    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain(`error API_UNREACHABLE: ${api.stack.endpoint} looks like the AWS endpoint`);
    expect(run.stderr).toContain('not the upload API');
  });

  it('says how many files of a folder it skipped and why', async () => {
    const mixed = join(folder, 'mixed');
    mkdirSync(mixed);
    writeFileSync(join(mixed, 'photo.jpg'), jpegBytes({ bytes: 2_000 }));
    writeFileSync(join(mixed, 'notes.txt'), 'words');
    writeFileSync(join(mixed, 'list.txt'), 'words');
    writeFileSync(join(mixed, 'clip.mp4'), 'not a photo');

    const text = await runCli(['mixed', '--quiet'], env);
    const json = await runCli(['mixed', '--json'], env);

    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      '3 files skipped (not images by their extension, or hidden): .txt 2, .mp4 1',
    );
    expect((JSON.parse(json.stdout) as JsonReport & { skipped: unknown }).skipped).toEqual({
      count: 3,
      byReason: { '.txt': 2, '.mp4': 1 },
    });
  });

  it('with no file or folder, says what is missing and points at --help', async () => {
    const run = await runCli([], env);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain("missing required argument 'paths'");
    expect(run.stderr).toContain('--help');
  });
});

/** A loopback URL where nothing listens (a port that was free a moment ago). */
async function closedLoopbackUrl(): Promise<string> {
  return `http://127.0.0.1:${await freeLoopbackPort()}`;
}
