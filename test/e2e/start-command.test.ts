import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type NodeRun, runNodeEntry } from '../support/run-node-entry.ts';

const startCli = fileURLToPath(new URL('../../packages/local-stack/src/start/start-cli.ts', import.meta.url));

/** Runs `pnpm start` with these arguments on free ports until it exits. */
function runStart(args: string[], extraEnv: Record<string, string> = {}): Promise<NodeRun> {
  return runNodeEntry(startCli, args, {
    env: {
      ...process.env,
      STACK_PORT: '0',
      API_PORT: '0',
      IDLE_EXIT_SECONDS: '2',
      TRIGGER_POLL_INTERVAL_MS: '200',
      ...extraEnv,
    },
    timeoutMs: 180_000,
  });
}

describe('pnpm start (the main job)', () => {
  it('uploads the samples, prints their results and the HTML report path, and stops cleanly', async () => {
    const run = await runStart(['--exit-after-samples', '--in-memory']);
    const output = run.stdout + run.stderr;

    expect(output).toMatch(/local AWS stack ready on http:\/\/127\.0\.0\.1:\d+ \(in memory\)/);
    expect(output).toMatch(/upload API listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(output).toMatch(/processor started .*went from empty/);
    expect(output).toContain('sunset-landscape.jpg');
    expect(output).toContain('SUCCEEDED');
    expect(output).toContain('IMAGE_CORRUPT');
    const htmlPath = /HTML report: (\S+\.html)/.exec(output)?.[1];
    expect(htmlPath, output).toBeDefined();
    expect(existsSync(htmlPath ?? '')).toBe(true);
    expect(readFileSync(htmlPath ?? '', 'utf8')).toContain('<svg');
    expect(run.code, output).toBe(0);
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
});
