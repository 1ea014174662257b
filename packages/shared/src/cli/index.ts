export { type CliExit, cliExit } from './cli-exit.ts';
export { runMain } from './run-main.ts';
