import { cliExit } from './cli-exit.ts';

/**
 * The one wrapper an entry point needs: runs `main`, and on failure prints the line `cliExit` gives
 * (never a stack for an AppError) and sets its exit code. `main` may return an exit code of its own
 * (e.g. 3 for "some not found").
 */
export async function runMain(main: () => Promise<number | undefined>): Promise<void> {
  try {
    const code = await main();
    if (typeof code === 'number') process.exitCode = code;
  } catch (error) {
    const exit = cliExit(error);
    if (exit.message !== undefined) process.stderr.write(`${exit.message}\n`);
    process.exitCode = exit.exitCode;
  }
}
