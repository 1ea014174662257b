import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type NodeRun, runNodeEntry } from '@photo-pipeline/test-support/run-node-entry';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotFolder } from '../support/folder-snapshot.ts';
import { type StartFolders, startCli, startEnv } from '../support/start-command.ts';

const checkout = fileURLToPath(new URL('../../', import.meta.url));

const scratch = mkdtempSync(join(tmpdir(), 'start-command-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The folders one run of `pnpm start` is told to write into (logs, report, state file). */
function outputFolders(): StartFolders {
  const folder = mkdtempSync(join(scratch, 'run-'));
  return {
    logsDir: join(folder, 'logs'),
    reportsDir: join(folder, 'reports'),
    stateFile: join(folder, 'start-state.json'),
  };
}

/** Runs `pnpm start` with these arguments on free ports until it exits, writing only into temporary folders. */
function runStart(
  args: string[],
  extraEnv: Record<string, string> = {},
  folders = outputFolders(),
): Promise<NodeRun> {
  return runNodeEntry(startCli, args, {
    env: { ...startEnv(folders), ...extraEnv },
    timeoutMs: 180_000,
  });
}

/** A server holding a loopback port that answers every request 200, as another `pnpm start`'s API would. */
async function holdPort(): Promise<{ server: Server; port: number }> {
  const server = createServer((_request, response) => response.end('{"status":"ok"}'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

describe('pnpm start (the main job)', () => {
  it('uploads the samples, prints their results and the HTML report path, and stops cleanly, writing only into the folders it is given', async () => {
    const folders = outputFolders();
    const checkoutBefore = {
      data: snapshotFolder(join(checkout, '.data')),
      reports: snapshotFolder(join(checkout, 'reports')),
    };

    const run = await runStart(['--exit-after-samples', '--in-memory'], {}, folders);
    const output = run.stdout + run.stderr;

    expect(output).toMatch(/local AWS stack ready on http:\/\/127\.0\.0\.1:\d+ \(in memory\)/);
    expect(output).toMatch(/upload API listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/processor started .*went from empty/);
    expect(output).toContain('sunset-landscape.jpg');
    expect(output).toContain('SUCCEEDED');
    expect(output).toContain('IMAGE_CORRUPT');
    // One table of the batch's rows (the client's wait prints it; the results task only writes the
    // report), and nothing skipped: the samples folder holds images only.
    expect(output.match(/^IMAGE ID +FILE/gm), output).toHaveLength(1);
    expect(output).not.toMatch(/skipped/);
    const htmlPath = /HTML report: (\S+\.html)/.exec(output)?.[1];
    expect(htmlPath, output).toBeDefined();
    expect(existsSync(htmlPath ?? '')).toBe(true);
    expect(readFileSync(htmlPath ?? '', 'utf8')).toContain('<svg');
    expect(htmlPath?.startsWith(folders.reportsDir)).toBe(true);
    expect(readFileSync(join(folders.logsDir, 'processor.log'), 'utf8')).toContain('processor exiting');
    expect(JSON.parse(readFileSync(folders.stateFile, 'utf8'))).toMatchObject({
      stopped: { exitCode: 0 },
      processors: { running: [], lastFinished: { exitCode: 0 } },
    });
    expect(run.code, output).toBe(0);
    expect({
      data: snapshotFolder(join(checkout, '.data')),
      reports: snapshotFolder(join(checkout, 'reports')),
    }).toEqual(checkoutBefore);
  });

  it('with --json prints only JSON lines: ready, the trigger runs, the samples documents, stopped', async () => {
    const run = await runStart(['--json', '--exit-after-samples', '--in-memory']);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { event: string } & Record<string, unknown>);

    expect(events[0]).toMatchObject({
      event: 'ready',
      endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      apiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      dataDir: null,
    });
    expect(events).toContainEqual(expect.objectContaining({ event: 'trigger', msg: 'processor started' }));
    const samples = events.find((event) => event.event === 'samples');
    expect(samples, run.stdout).toMatchObject({
      upload: { uploaded: 6, failed: 0 },
      batch: { counts: { SUCCEEDED: 5, FAILED: 1 } },
      report: { summary: { failureCodes: [expect.objectContaining({ code: 'IMAGE_CORRUPT', count: 1 })] } },
    });
    expect(events.at(-1)).toEqual({ event: 'stopped', exitCode: 0 });
    expect(run.code, run.stderr).toBe(0);
  });

  it.each([
    ['the API', 'LOG_LEVEL', 'loud'],
    ['the processor', 'IDLE_EXIT_SECONDS', 'soon'],
  ])(
    'refuses a bad setting of %s by name before starting anything (exit 2, no stack)',
    async (_service, name, value) => {
      const run = await runStart(['--in-memory', '--exit-after-samples'], { [name]: value });

      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toContain('error CONFIG_INVALID');
      expect(run.stderr).toContain(name);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(run.stdout).not.toContain('uploading the sample images');
    },
  );

  it('--help shows the ports it takes, --port and --api-port, with their variables', async () => {
    const run = await runStart(['--help']);

    const help = run.stdout.replace(/\s+/g, ' ');

    expect(run.code).toBe(0);
    expect(help).toMatch(/--port <port> .*\[env STACK_PORT\]/);
    expect(help).toMatch(/--api-port <port> .*\[env API_PORT\]/);
    expect(help).toMatch(/--logs-dir <dir> .*\[env START_LOGS_DIR\]/);
  });

  it.each([
    ['--port', 'STACK_PORT_IN_USE', /--port or STACK_PORT/],
    ['--api-port', 'API_PORT_IN_USE', /--api-port or API_PORT/],
  ])(
    'stops with exit 1 and %s in its advice when that port is taken, and says nothing is listening',
    async (option, code, advice) => {
      const held = await holdPort();
      try {
        const run = await runStart(['--in-memory', '--no-samples', option, String(held.port)]);

        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).toContain(`error ${code}`);
        expect(run.stderr).toContain(`port ${held.port}`);
        expect(run.stderr).toMatch(advice);
        expect(run.stderr).not.toMatch(/\n\s+at /);
        expect(run.stdout).not.toContain('upload API listening');
        expect(run.stdout).not.toContain('ready for more');
      } finally {
        held.server.close();
        held.server.closeAllConnections();
      }
    },
  );

  it('stops with exit 1 naming the processor when it fails at start-up, instead of waiting for the samples', async () => {
    const folders = outputFolders();

    const run = await runStart(['--in-memory'], { MODEL_PATH: join(scratch, 'no-such-model.onnx') }, folders);

    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /error STACK_SERVICE_FAILED: processor run 1 exited with code \d+ right after it started/,
    );
    expect(run.stderr).toContain(folders.logsDir);
    expect(run.stdout).not.toContain('ready for more');
    expect(readFileSync(join(folders.logsDir, 'processor.log'), 'utf8')).toContain('no-such-model.onnx');
  });
});
