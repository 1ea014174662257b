import { CommanderError } from 'commander';
import { toAppError } from '../errors/app-error.ts';
import { errorCatalogue } from '../errors/error-codes.ts';

/** How a command-line program ends after a failure: its exit code and the line it prints, if any. */
export interface CliExit {
  readonly exitCode: number;
  /** One line for stderr (an INTERNAL failure adds its stack below it); none when commander has spoken. */
  readonly message: string | undefined;
}

/**
 * The one mapping from a thrown value to a CLI's exit: a commander parse error (unknown option, missing
 * argument, a rejected option value) is bad usage, `--help` and `--version` are not failures, and commander
 * has printed its own text for both; an AppError ends with its catalogue exit code and `error CODE: message`;
 * anything else is INTERNAL, with its stack.
 */
export function cliExit(error: unknown): CliExit {
  if (error instanceof CommanderError) {
    const exitCode = error.exitCode === 0 ? 0 : errorCatalogue.INVALID_ARGUMENT.exitCode;
    return { exitCode, message: undefined };
  }
  const appError = toAppError(error);
  const stack = appError.code === 'INTERNAL' && error instanceof Error ? `\n${error.stack ?? ''}` : '';
  return { exitCode: appError.exitCode, message: `error ${appError.code}: ${appError.message}${stack}` };
}
