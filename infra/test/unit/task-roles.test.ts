import { idempotencyPrefix, objectKeys } from '@photo-pipeline/shared/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { objectPrefixes } from '../../src/object-prefixes.ts';
import {
  logicalIdOf,
  type PolicyStatementJson,
  type SynthesizedPipeline,
  statementsOfRole,
  synthPipeline,
} from '../support/synth-pipeline.ts';

let pipeline: SynthesizedPipeline;
beforeAll(() => {
  pipeline = synthPipeline();
});

function roleStatements(prefix: string): PolicyStatementJson[] {
  return statementsOfRole(pipeline.template, logicalIdOf(pipeline.template, 'AWS::IAM::Role', prefix));
}

const actionsOf = (statement: PolicyStatementJson) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];
const resourcesOf = (statement: PolicyStatementJson) =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

function expectNoWildcards(statements: PolicyStatementJson[]): void {
  for (const statement of statements) {
    expect(statement.Effect).toBe('Allow');
    for (const action of actionsOf(statement)) expect(action, `action ${action}`).not.toContain('*');
    for (const resource of resourcesOf(statement)) expect(resource).not.toBe('*');
  }
}

describe('task roles are exactly least privilege', () => {
  it('lets the API only write (and roll back) uploads, read markers and statuses, and send jobs', () => {
    const { storage } = pipeline.stack;
    const statements = roleStatements('ApiTaskRole');

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        Resource: pipeline.resolve(storage.uploadsBucket.arnForObjects('*')),
      },
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          pipeline.resolve(storage.uploadsBucket.arnForObjects('idempotency/*')),
          pipeline.resolve(storage.uploadsBucket.arnForObjects('originals/*')),
        ],
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: pipeline.resolve(storage.uploadsBucket.bucketArn),
      },
      {
        Effect: 'Allow',
        Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        Resource: pipeline.resolve(storage.jobsQueue.queueArn),
      },
      {
        Effect: 'Allow',
        Action: 'dynamodb:BatchGetItem',
        Resource: pipeline.resolve(storage.resultsTable.tableArn),
      },
    ]);
    expectNoWildcards(statements);
  });

  it('scopes object statements to the prefixes the services really use', () => {
    expect(idempotencyPrefix).toBe(objectPrefixes.idempotency);
    const imageId = '01JAAAAAAAAAAAAAAAAAAAAAAA';
    expect(objectKeys.original(imageId)).toBe(`${objectPrefixes.originals}${imageId}`);
    expect(objectKeys.processed(imageId, 'png').startsWith(objectPrefixes.processed)).toBe(true);
    expect(objectKeys.mask(imageId).startsWith(objectPrefixes.processed)).toBe(true);
    expect(objectKeys.reportsPrefix).toBe(objectPrefixes.reports);
  });

  it('lets the processor read uploads, write processed images, consume the queue and read/put result rows', () => {
    const { storage } = pipeline.stack;
    const statements = roleStatements('ProcessorTaskRole');

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: pipeline.resolve(storage.uploadsBucket.arnForObjects('originals/*')),
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: pipeline.resolve(storage.uploadsBucket.bucketArn),
      },
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: pipeline.resolve(storage.processedBucket.arnForObjects('processed/*')),
      },
      {
        Effect: 'Allow',
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
        Resource: pipeline.resolve(storage.jobsQueue.queueArn),
      },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        Resource: pipeline.resolve(storage.resultsTable.tableArn),
      },
    ]);
    expectNoWildcards(statements);
  });

  it('lets the results task read rows and object heads, write reports under reports/ only, and sweep orphaned originals', () => {
    const { storage } = pipeline.stack;
    const statements = roleStatements('ResultsTaskRole');

    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        Resource: [
          pipeline.resolve(storage.resultsTable.tableArn),
          pipeline.resolve(`${storage.resultsTable.tableArn}/index/*`),
        ],
      },
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [
          pipeline.resolve(storage.uploadsBucket.arnForObjects('*')),
          pipeline.resolve(storage.processedBucket.arnForObjects('*')),
        ],
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: [
          pipeline.resolve(storage.uploadsBucket.bucketArn),
          pipeline.resolve(storage.processedBucket.bucketArn),
        ],
      },
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: pipeline.resolve(storage.processedBucket.arnForObjects('reports/*')),
      },
      {
        Effect: 'Allow',
        Action: 's3:DeleteObject',
        Resource: pipeline.resolve(storage.uploadsBucket.arnForObjects('originals/*')),
      },
      {
        Effect: 'Allow',
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        Resource: [
          pipeline.resolve(storage.jobsQueue.queueArn),
          pipeline.resolve(storage.deadLetterQueue.queueArn),
        ],
      },
    ]);
    expectNoWildcards(statements);
  });

  it('gives no task role a managed policy', () => {
    for (const prefix of ['ApiTaskRole', 'ProcessorTaskRole', 'ResultsTaskRole']) {
      const id = logicalIdOf(pipeline.template, 'AWS::IAM::Role', prefix);
      const role = pipeline.template.findResources('AWS::IAM::Role')[id];
      expect(role?.Properties.ManagedPolicyArns, prefix).toBeUndefined();
      expect(role?.Properties.AssumeRolePolicyDocument.Statement).toEqual([
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' } },
      ]);
    }
  });

  it.each([
    ['GPU (EC2) processor', {}],
    ['CPU (Fargate) processor', { processorCompute: 'cpu' }],
  ])('lets the jobs-queue rule run the %s task and pass both its roles', (_variant, context) => {
    const variant = synthPipeline(context);
    const ruleId = logicalIdOf(variant.template, 'AWS::Events::Rule', 'ProcessorTriggerOnQueueNotEmpty');
    const [target] = variant.template.findResources('AWS::Events::Rule')[ruleId]?.Properties.Targets ?? [];
    const roleArn = (target?.RoleArn ?? {}) as { 'Fn::GetAtt'?: [string, string] };
    const roleId = roleArn['Fn::GetAtt']?.[0] ?? 'missing';
    const statements = statementsOfRole(variant.template, roleId);
    const { taskDefinition } = variant.stack.processor;

    const passed = statements
      .filter((statement) => actionsOf(statement).includes('iam:PassRole'))
      .flatMap((statement) => resourcesOf(statement).map((resource) => JSON.stringify(resource)));
    expect(passed).toContain(JSON.stringify(variant.resolve(taskDefinition.taskRole.roleArn)));
    expect(passed).toContain(JSON.stringify(variant.resolve(taskDefinition.executionRole?.roleArn)));
    const runTask = statements.find((statement) => actionsOf(statement).includes('ecs:RunTask'));
    expect(runTask).toBeDefined();
  });

  it('lets the backstop run only the processor task definition, in this cluster', () => {
    const statements = roleStatements('ProcessorTriggerBackstopRole');
    const clusterArn = pipeline.resolve(pipeline.stack.cluster.clusterArn);
    const runTask = statements.find((statement) => actionsOf(statement).includes('ecs:RunTask'));

    expect(runTask).toEqual({
      Effect: 'Allow',
      Action: 'ecs:RunTask',
      Resource: pipeline.resolve(pipeline.stack.processor.taskDefinition.taskDefinitionArn),
      Condition: { ArnEquals: { 'ecs:cluster': clusterArn } },
    });
    const listTasks = statements.find((statement) => actionsOf(statement).includes('ecs:ListTasks'));
    expect(listTasks?.Condition).toEqual({ ArnEquals: { 'ecs:cluster': clusterArn } });
    const passRole = statements.find((statement) => actionsOf(statement).includes('iam:PassRole'));
    expect(passRole?.Condition).toEqual({
      StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' },
    });
    for (const statement of statements) {
      for (const action of actionsOf(statement)) expect(action).not.toContain('*');
    }
  });
});
