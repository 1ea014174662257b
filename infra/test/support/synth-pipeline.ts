import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../src/build-app.ts';
import type { PipelineStack } from '../../src/pipeline-stack.ts';

export interface SynthesizedPipeline {
  readonly stack: PipelineStack;
  readonly template: Template;
  /** Resolves a construct-level value (an ARN, a name) to its template form, for exact comparisons. */
  resolve(value: unknown): unknown;
  /** The logical id of a construct's CloudFormation resource. */
  logicalId(construct: IConstruct): string;
}

/**
 * Synthesizes the pipeline stack once for a test file. Images come from an ECR tag unless the test asks
 * for assets, so most files skip staging the Docker build contexts. cdk-nag is checked in its own test.
 */
export function synthPipeline(context: Record<string, string> = {}): SynthesizedPipeline {
  const outdir = mkdtempSync(join(tmpdir(), 'pp-infra-test-'));
  const { stack } = buildApp({ outdir, nag: false, context: { imageTag: 'test', ...context } });
  const template = Template.fromStack(stack);
  // The template is in memory now; the assembly on disk is not needed.
  rmSync(outdir, { recursive: true, force: true });
  return {
    stack,
    template,
    resolve: (value) => stack.resolve(value),
    logicalId: (construct) => {
      const element = construct.node.defaultChild;
      if (!(element instanceof CfnElement)) throw new Error(`${construct.node.path} has no resource`);
      return Stack.of(construct).resolve(element.logicalId);
    },
  };
}

/** The logical id of the one resource of `type` whose logical id starts with `prefix`. */
export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1 || ids[0] === undefined) {
    throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  }
  return ids[0];
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** All statements of the inline policies attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as unknown[]).some(
      (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
    ),
  );
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
}

export interface ContainerDefinitionJson {
  readonly Name: string;
  readonly Environment?: { Name: string; Value: unknown }[];
  readonly Secrets?: { Name: string; ValueFrom: unknown }[];
  readonly [key: string]: unknown;
}

/** The container definitions of the task definition whose logical id starts with `prefix`. */
export function containersOf(template: Template, prefix: string): ContainerDefinitionJson[] {
  const id = logicalIdOf(template, 'AWS::ECS::TaskDefinition', prefix);
  const resource = template.findResources('AWS::ECS::TaskDefinition')[id];
  return (resource?.Properties.ContainerDefinitions ?? []) as ContainerDefinitionJson[];
}
