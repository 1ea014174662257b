/**
 * The command line without a lone `--` separator: `npm start -- --in-memory` and
 * `pnpm start -- --in-memory` hand the `--` on to the script, where it would turn every option after
 * it into a positional argument.
 */
export function cliArguments(argv: readonly string[]): string[] {
  const separator = argv.indexOf('--', 2);
  return separator === -1 ? [...argv] : [...argv.slice(0, separator), ...argv.slice(separator + 1)];
}
