import { describe, expect, it } from 'vitest';
import { cliArguments } from '../../src/cli-arguments.ts';

describe('command-line arguments', () => {
  it('drops the -- that npm and pnpm pass on, keeping the options after it', () => {
    expect(cliArguments(['node', 'start.ts', '--', '--in-memory'])).toEqual([
      'node',
      'start.ts',
      '--in-memory',
    ]);
  });

  it('leaves a command line without -- unchanged', () => {
    expect(cliArguments(['node', 'stack.ts', '--port', '0'])).toEqual(['node', 'stack.ts', '--port', '0']);
  });
});
