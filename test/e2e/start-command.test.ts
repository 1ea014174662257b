import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const startCli = fileURLToPath(new URL('../../packages/local-stack/src/start/start-cli.ts', import.meta.url));

describe('pnpm start (the main job)', () => {
  it('uploads the samples, prints their results and the HTML report path, and stops cleanly', async () => {
    const child = spawn(
      process.execPath,
      ['--conditions=development', startCli, '--exit-after-samples', '--in-memory'],
      {
        env: {
          ...process.env,
          STACK_PORT: '0',
          API_PORT: '0',
          IDLE_EXIT_SECONDS: '2',
          TRIGGER_POLL_INTERVAL_MS: '200',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    const [exitCode] = (await once(child, 'exit')) as [number | null];
    clearTimeout(killer);

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
    expect(exitCode, output).toBe(0);
  });
});
