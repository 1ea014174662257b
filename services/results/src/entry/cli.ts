#!/usr/bin/env node
import { runMain } from '@photo-pipeline/shared/cli';
import { loadConfig, resultsConfigSchema } from '@photo-pipeline/shared/config';
import { runResultsCli } from './program.ts';
import { createResultsDeps } from './results-deps.ts';

// The entry point: the one place that reads process.env and sets the exit code.
await runMain(() =>
  runResultsCli(
    process.argv.slice(2),
    { stdout: process.stdout, stderr: process.stderr, now: () => new Date() },
    () => createResultsDeps(loadConfig(resultsConfigSchema, process.env)),
  ),
);
