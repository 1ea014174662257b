import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const mainEntry = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

/** Runs the processor's entry point with these arguments (no queue is reached: it stops at the usage). */
function runProcessor(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--conditions=development', mainEntry, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('the processor as a command', () => {
  it('prints its usage for --help and exits 0 without starting a run', async () => {
    const run = await runProcessor(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: processor');
    expect(run.stdout).toContain('IDLE_EXIT_SECONDS');
    expect(run.stdout).not.toContain('processor exiting');
  });

  it('refuses arguments it does not take with exit 2', async () => {
    const run = await runProcessor(['--concurrency', '4']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unexpected arguments: --concurrency 4');
  });
});
