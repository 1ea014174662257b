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
  ])(
    'lets the scaler of the %s only read the queue, list, describe and run the processor family on this cluster, and pass its two roles',
    (_variant, context) => {
      const variant = synthPipeline(context);
      const { cluster, processor, storage } = variant.stack;
      const clusterArn = variant.resolve(cluster.clusterArn);
      const clusterTasks = {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            `:ecs:${variant.stack.region}:`,
            { Ref: 'AWS::AccountId' },
            ':task/',
            variant.resolve(cluster.clusterName),
            '/*',
          ],
        ],
      };
      const logGroupId = logicalIdOf(variant.template, 'AWS::Logs::LogGroup', 'ProcessorTriggerScalerLogs');
      const statements = statementsOfRole(
        variant.template,
        logicalIdOf(variant.template, 'AWS::IAM::Role', 'ProcessorTriggerScalerRole'),
      );

      expect(statements).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
        {
          Effect: 'Allow',
          Action: 'sqs:GetQueueAttributes',
          Resource: variant.resolve(storage.jobsQueue.queueArn),
        },
        {
          Effect: 'Allow',
          Action: 'ecs:ListTasks',
          Resource: '*',
          Condition: { ArnEquals: { 'ecs:cluster': clusterArn } },
        },
        {
          Effect: 'Allow',
          Action: 'ecs:DescribeTasks',
          Resource: clusterTasks,
          Condition: { ArnEquals: { 'ecs:cluster': clusterArn } },
        },
        {
          Effect: 'Allow',
          Action: 'ecs:RunTask',
          Resource: variant.resolve(processor.taskDefinition.taskDefinitionArn),
          Condition: { ArnEquals: { 'ecs:cluster': clusterArn } },
        },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: [
            variant.resolve(processor.taskDefinition.taskRole.roleArn),
            variant.resolve(processor.taskDefinition.executionRole?.roleArn),
          ],
          Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        },
        {
          Effect: 'Allow',
          Action: 'ecs:TagResource',
          Resource: clusterTasks,
          Condition: { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
        },
      ]);
    },
  );

  it('leaves no role for EventBridge to run tasks: only the scaler starts processors', () => {
    expect(
      Object.keys(pipeline.template.findResources('AWS::IAM::Role')).filter((id) =>
        id.includes('RunProcessorRole'),
      ),
    ).toEqual([]);
  });
});
