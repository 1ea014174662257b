// `pnpm synth`: synthesizes the CDK app into infra/cdk.out (or the CLI's CDK_OUTDIR) without an AWS
// account, Docker or network. `cdk deploy` runs this same file through the cdk script.
import { join } from 'node:path';
import { buildApp } from '../src/build-app.ts';

const outdir = process.env.CDK_OUTDIR ?? join(import.meta.dirname, '..', 'cdk.out');
const { app, stack } = buildApp({ outdir });
const assembly = app.synth();
if (!process.env.CDK_OUTDIR) {
  process.stdout.write(`synthesized ${stack.stackName} into ${assembly.directory}\n`);
}
