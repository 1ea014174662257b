import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack } from '@photo-pipeline/local-stack';
import { runNodeEntry } from '@photo-pipeline/test-support/run-node-entry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.ts';
import { startCli, startEnv } from '../support/start-command.ts';

const statusCli = fileURLToPath(
  new URL('../../packages/local-stack/src/status/status-cli.ts', import.meta.url),
);

const folder = mkdtempSync(join(tmpdir(), 'status-command-'));
const stateFile = join(folder, 'start-state.json');
/** Only what status is given: no AWS variables of the developer's shell. */
const baseEnv = { PATH: process.env.PATH ?? '', START_STATE_FILE: stateFile };

function runStatus(args: string[], env: Record<string, string> = {}) {
  return runNodeEntry(statusCli, args, { env: { ...baseEnv, ...env }, timeoutMs: 60_000 });
}

describe('pnpm status', () => {
  let start: ChildProcess | undefined;

  beforeAll(async () => {
    // Prepare: a real `pnpm start` with the samples (one broken on purpose), kept running.
    start = spawn(process.execPath, ['--conditions=development', startCli, '--in-memory'], {
      env: startEnv({ logsDir: join(folder, 'logs'), reportsDir: join(folder, 'reports'), stateFile }),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await eventually(
      'pnpm start to publish a finished processor run',
      () =>
        existsSync(stateFile) &&
        (JSON.parse(readFileSync(stateFile, 'utf8')) as { processors: { finishedCount: number } }).processors
          .finishedCount > 0,
      150_000,
    );
  });

  afterAll(async () => {
    if (start && start.exitCode === null) {
      start.kill('SIGTERM');
      await once(start, 'exit');
    }
    rmSync(folder, { recursive: true, force: true });
  });

  it('--json against a running pnpm start: ports, API ready, queues, the processor that ran, rows and errors of the last hour', async () => {
    const run = await runStatus(['--json']);
    const status = JSON.parse(run.stdout) as Record<string, unknown>;

    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(status).toMatchObject({
      target: 'local',
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      start: { ok: true, stackPort: expect.any(Number), apiPort: expect.any(Number) },
      api: { ok: true, ready: true, checks: { s3: 'ok', sqs: 'ok' } },
      queue: { ok: true, visible: 0, inFlight: 0, deadLetter: 0 },
      processors: {
        ok: true,
        running: [],
        maxProcessorTasks: 2,
        backlogPerTask: 100,
        lastFinished: { runId: 1, exitCode: 0, imagesProcessed: 5, imagesFailed: 1 },
      },
      lastHour: { ok: true, rows: 6, byStatus: { SUCCEEDED: 5, FAILED: 1 } },
      lastErrors: { ok: true, errors: [expect.objectContaining({ errorCode: 'IMAGE_CORRUPT' })] },
    });
  });

  it('as text, one line per part, like docker compose ps', async () => {
    const run = await runStatus([]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^pnpm start +running, pid \d+, .*stack port \d+, API port \d+$/m);
    expect(run.stdout).toMatch(/^api +ready at http:\/\/127\.0\.0\.1:\d+ \(s3 ok, sqs ok\)$/m);
    expect(run.stdout).toMatch(/^queue +0 visible, 0 in flight; DLQ 0$/m);
    expect(run.stdout).toMatch(
      /^processors +0 running \(at most 2, one per 100 waiting\); 1 finished; last: run 1 exit 0 at .*, 5 processed, 1 failed$/m,
    );
    expect(run.stdout).toMatch(/^last hour +6 rows: 5 SUCCEEDED, 1 FAILED$/m);
    expect(run.stdout).toMatch(/^last errors IMAGE_CORRUPT \(image /m);
  });

  it('from the standard variables alone, without the local-only parts, exits 1 naming what does not answer', async () => {
    const stack = await startLocalStack({ port: 0 });
    try {
      const run = await runStatus(['--json'], {
        ...stack.serviceEnv(),
        START_STATE_FILE: join(folder, 'no-such-state.json'),
        PHOTO_PIPELINE_ENDPOINT: 'http://127.0.0.1:9',
      });
      const status = JSON.parse(run.stdout) as Record<string, unknown>;

      expect(run.code).toBe(1);
      expect(status).toMatchObject({
        target: 'environment',
        endpoint: stack.endpoint,
        start: null,
        processors: null,
        api: { ok: false, error: expect.stringContaining('API_UNREACHABLE') },
        queue: { ok: true, visible: 0, deadLetter: 0 },
        lastHour: { ok: true, rows: 0 },
      });
    } finally {
      await stack.stop();
    }
  });

  it('--help says what it reads and its exit codes', async () => {
    const run = await runStatus(['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('--json');
    expect(run.stdout).toMatch(/Exit codes: 0 everything answers; 1 some part does not/);
  });
});
