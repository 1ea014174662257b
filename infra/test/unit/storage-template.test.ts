import { idempotencyPrefix } from '@photo-pipeline/shared/contracts';
import { jobsQueueDefaults, resultsTableKeys } from '@photo-pipeline/shared/resources';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { processorStopTimeoutSeconds } from '../../src/constructs/processor.ts';
import { objectPrefixes } from '../../src/object-prefixes.ts';
import { logicalIdOf, type SynthesizedPipeline, synthPipeline } from '../support/synth-pipeline.ts';

let pipeline: SynthesizedPipeline;
beforeAll(() => {
  pipeline = synthPipeline({ objectExpiryDays: '45', logRetentionDays: '14' });
});

describe('storage', () => {
  it('blocks public access, requires TLS and encrypts both data buckets', () => {
    const { storage } = pipeline.stack;
    for (const bucket of [storage.uploadsBucket, storage.processedBucket]) {
      const id = pipeline.logicalId(bucket);
      pipeline.template.hasResource('AWS::S3::Bucket', {
        Properties: Match.objectLike({
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
        }),
      });
      pipeline.template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('encrypts every bucket, queue, table and volume in the stack', () => {
    const resources = (type: string) => Object.values(pipeline.template.findResources(type));
    for (const bucket of resources('AWS::S3::Bucket')) {
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toHaveLength(1);
    }
    for (const queue of resources('AWS::SQS::Queue'))
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    for (const table of resources('AWS::DynamoDB::GlobalTable')) {
      expect(table.Properties.SSESpecification.SSEEnabled).toBe(true);
    }
    for (const template of resources('AWS::EC2::LaunchTemplate')) {
      for (const device of template.Properties.LaunchTemplateData.BlockDeviceMappings) {
        expect(device.Ebs.Encrypted).toBe(true);
      }
    }
    expect(resources('AWS::S3::Bucket')).toHaveLength(3);
    expect(resources('AWS::SQS::Queue')).toHaveLength(2);
  });

  it('aborts incomplete multipart uploads and expires objects after the configured days', () => {
    const buckets = pipeline.template.findResources('AWS::S3::Bucket', {
      Properties: { LifecycleConfiguration: Match.anyValue() },
    });
    const rulesOf = (prefix: string) => {
      const id = Object.keys(buckets).find((key) => key.startsWith(prefix));
      return buckets[id ?? '']?.Properties.LifecycleConfiguration.Rules;
    };
    const bucketRules = [
      {
        Id: 'abort-incomplete-multipart-uploads',
        AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        Status: 'Enabled',
      },
      { Id: 'expire-objects', ExpirationInDays: 45, Status: 'Enabled' },
    ];
    expect(rulesOf('StorageProcessed')).toEqual(bucketRules);
    expect(rulesOf('StorageUploads')).toEqual([
      ...bucketRules,
      {
        Id: 'expire-idempotency-markers',
        Prefix: objectPrefixes.idempotency,
        ExpirationInDays: 1,
        Status: 'Enabled',
      },
    ]);
  });

  it("expires the API's idempotency markers after a day, where the API writes them", () => {
    // The API keeps its markers in the uploads bucket under this prefix; its README promises they
    // expire after 24 h.
    expect(idempotencyPrefix).toBe(objectPrefixes.idempotency);
    const uploads =
      pipeline.template.findResources('AWS::S3::Bucket')[
        pipeline.logicalId(pipeline.stack.storage.uploadsBucket)
      ];
    expect(uploads?.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Prefix: objectPrefixes.idempotency,
          ExpirationInDays: 1,
          Status: 'Enabled',
        }),
      ]),
    );
  });

  it('encrypts the jobs queue and redrives to the DLQ after the shared maxReceiveCount', () => {
    const dlqId = logicalIdOf(pipeline.template, 'AWS::SQS::Queue', 'StorageJobsDlq');
    pipeline.template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      VisibilityTimeout: jobsQueueDefaults.visibilityTimeoutSeconds,
      MessageRetentionPeriod: jobsQueueDefaults.messageRetentionSeconds,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
        maxReceiveCount: jobsQueueDefaults.maxReceiveCount,
      },
    });
    pipeline.template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: jobsQueueDefaults.deadLetterRetentionSeconds,
    });
  });

  it('keeps the visibility timeout above the processor stop timeout, so a stopping task keeps its message', () => {
    expect(jobsQueueDefaults.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(processorStopTimeoutSeconds);
  });

  it('makes the results table on demand, with point-in-time recovery, encryption and the shared indexes', () => {
    const { partitionKey, batchIndex, uploadDayIndex } = resultsTableKeys;
    pipeline.template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }],
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [
        Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: batchIndex.name,
          KeySchema: [
            { AttributeName: batchIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: batchIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: uploadDayIndex.name,
          KeySchema: [
            { AttributeName: uploadDayIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: uploadDayIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });
});
