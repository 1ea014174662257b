// `pnpm synth`: synthesizes the CDK app into infra/cdk.out (or the CLI's CDK_OUTDIR) without an AWS
// account, Docker or network. `cdk deploy` runs this same file (cdk.json "app").
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp } from '../src/build-app.ts';

const cliOutdir = process.env.CDK_OUTDIR;
const outdir = cliOutdir ?? join(import.meta.dirname, '..', 'cdk.out');
// Standalone runs start from an empty cdk.out, so staged build contexts of earlier runs do not pile up.
if (!cliOutdir) rmSync(outdir, { recursive: true, force: true });
const { app, stack } = buildApp({ outdir });
const assembly = app.synth();
if (!cliOutdir) process.stdout.write(`synthesized ${stack.stackName} into ${assembly.directory}\n`);
