import { fileURLToPath } from 'node:url';
import { runNodeEntry } from '@photo-pipeline/test-support/run-node-entry';
import { describe, expect, it } from 'vitest';

const stackCli = fileURLToPath(new URL('../../src/stack-cli.ts', import.meta.url));

/** Runs `pnpm stack` with this environment and arguments until it exits (each case here stops at once). */
const runStackCli = (env: Record<string, string>, args: string[] = []) =>
  runNodeEntry(stackCli, args, { env: { ...process.env, ...env }, timeoutMs: 30_000 });

describe('pnpm stack refuses bad settings by name', () => {
  it.each([
    ['STACK_PORT', 'abc', 'whole number'],
    ['STACK_MAX_RECEIVE_COUNT', '0', 'STACK_MAX_RECEIVE_COUNT'],
  ])('%s=%s: exit 2 with a message naming it', async (name, value, expected) => {
    const run = await runStackCli({ [name]: value });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error CONFIG_INVALID');
    expect(run.stderr).toContain(name);
    expect(run.stderr).toContain(expected);
  });

  it('a bad option: exit 2 with commander naming it', async () => {
    const run = await runStackCli({}, ['--port', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--port');
  });
});
