import { App, Validations } from 'aws-cdk-lib';
import cdkNag from 'cdk-nag';
import { parseInfraConfig } from './infra-config.ts';
import { PipelineStack } from './pipeline-stack.ts';

export interface BuildAppOptions {
  /** CDK context (overrides `-c` values); tests pass settings here. */
  readonly context?: Record<string, string>;
  readonly outdir?: string;
  /** Register cdk-nag's AwsSolutions checks as a validation plugin: synth fails on any unacknowledged finding. */
  readonly nag?: boolean;
}

/** The CDK app: one environment-agnostic PipelineStack named by `-c stackName` (default PhotoPipeline). */
export function buildApp(options: BuildAppOptions = {}): { app: App; stack: PipelineStack } {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    ...(options.context ? { context: options.context } : {}),
  });
  const context: Record<string, unknown> = app.node.getAllContext();
  // The CDK CLI sets CDK_DEFAULT_REGION from the profile; plain `pnpm synth` falls back to us-east-1.
  const config = parseInfraConfig(context, { region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' });
  const stack = new PipelineStack(app, config.stackName, {
    config,
    env: { region: config.region },
    description: 'photo-pipeline: upload API, GPU/CPU processor, results task (issue 6)',
  });
  if (options.nag ?? true)
    Validations.of(app).addPlugins(new cdkNag.AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
