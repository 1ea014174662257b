import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { cliExit } from '../../src/cli/cli-exit.ts';
import { appError, PermanentError } from '../../src/errors/app-error.ts';
import { errorCatalogue, isErrorCode } from '../../src/errors/error-codes.ts';

/** What a commander program with exitOverride throws for `argv`; its own output is swallowed. */
function parseFailure(argv: string[]): unknown {
  const program = new Command('tool')
    .option('--count <n>', 'a whole number', (value) => {
      if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
      return Number(value);
    })
    .argument('<name>')
    .version('1.0.0')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  try {
    program.parse(argv, { from: 'user' });
  } catch (error) {
    return error;
  }
  throw new Error(`expected ${argv.join(' ')} to fail parsing`);
}

describe('cliExit: the one mapping from a failure to a CLI exit', () => {
  it('ends --help and --version with 0 and no line of its own', () => {
    expect(cliExit(parseFailure(['--help']))).toEqual({ exitCode: 0, message: undefined });
    expect(cliExit(parseFailure(['--version']))).toEqual({ exitCode: 0, message: undefined });
  });

  it('ends a commander usage error with the INVALID_ARGUMENT exit code and leaves the message to commander', () => {
    for (const argv of [['--nope', 'x'], [], ['x', '--count', 'many']]) {
      expect(cliExit(parseFailure(argv))).toEqual({
        exitCode: errorCatalogue.INVALID_ARGUMENT.exitCode,
        message: undefined,
      });
    }
    expect(errorCatalogue.INVALID_ARGUMENT.exitCode).toBe(2);
  });

  it("ends an AppError with its code's catalogue exit code and one line naming the code", () => {
    const exit = cliExit(new PermanentError('NOT_FOUND', 'no image 01ABC'));

    expect(exit).toEqual({ exitCode: 3, message: 'error NOT_FOUND: no image 01ABC' });
  });

  it("gives an AppError of any code that code's catalogue exit code", () => {
    for (const code of Object.keys(errorCatalogue).filter(isErrorCode)) {
      const exit = cliExit(appError(code, 'why'));
      expect(exit.exitCode).toBe(errorCatalogue[code].exitCode);
      expect(exit.message?.split('\n')[0]).toBe(`error ${code}: why`);
    }
  });

  it('ends an unexpected error as INTERNAL (exit 1) with its stack below the line', () => {
    const boom = new Error('boom');

    const exit = cliExit(boom);

    expect(exit.exitCode).toBe(1);
    expect(exit.message?.split('\n')[0]).toBe('error INTERNAL: boom');
    expect(exit.message).toContain(boom.stack);
  });

  it('ends a thrown non-error as INTERNAL with its text', () => {
    expect(cliExit('gone')).toEqual({ exitCode: 1, message: 'error INTERNAL: gone' });
  });
});
