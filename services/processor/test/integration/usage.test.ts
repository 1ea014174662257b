import { fileURLToPath } from 'node:url';
import { runNodeEntry } from '@photo-pipeline/test-support/run-node-entry';
import { describe, expect, it } from 'vitest';

const mainEntry = fileURLToPath(new URL('../../src/entry/main.ts', import.meta.url));

describe('the processor as a command', () => {
  it('prints its usage for --help and exits 0 without starting a run', async () => {
    const run = await runNodeEntry(mainEntry, ['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: processor');
    expect(run.stdout).toContain('IDLE_EXIT_SECONDS');
    expect(run.stdout).not.toContain('processor exiting');
  });

  it('refuses arguments it does not take with exit 2', async () => {
    const run = await runNodeEntry(mainEntry, ['--concurrency', '4']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unexpected arguments: --concurrency 4');
  });
});
