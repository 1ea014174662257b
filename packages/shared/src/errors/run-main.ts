import { toAppError } from './app-error.ts';

/**
 * The one wrapper an entry point needs: runs `main`, and on failure prints the error's code and message
 * (never a stack for an AppError) and sets the exit code from the catalogue. `main` may return an exit
 * code of its own (e.g. 3 for "some not found").
 */
export async function runMain(main: () => Promise<number | undefined>): Promise<void> {
  try {
    const code = await main();
    if (typeof code === 'number') process.exitCode = code;
  } catch (error) {
    const appError = toAppError(error);
    const detail = appError.code === 'INTERNAL' && error instanceof Error ? `\n${error.stack ?? ''}` : '';
    process.stderr.write(`error ${appError.code}: ${appError.message}${detail}\n`);
    process.exitCode = appError.exitCode;
  }
}
