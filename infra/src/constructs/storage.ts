import { jobsQueueDefaults, resultsTableKeys } from '@photo-pipeline/shared/resources';
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { objectPrefixes } from '../object-prefixes.ts';

/**
 * The API's Idempotency-Key markers only have to outlive a client's retries (services/api/README.md:
 * 24 h); without this rule they would stay until the whole-bucket expiry, or forever with it off.
 */
export const idempotencyMarkerExpiry = Duration.days(1);

export interface StorageProps {
  /** Days until objects expire; 0 keeps them. */
  readonly objectExpiryDays: number;
  readonly removalPolicy: RemovalPolicy;
  readonly autoDeleteObjects: boolean;
}

/**
 * The pipeline's state: uploads and processed buckets, the jobs queue with its DLQ, the results table.
 * Queue settings and table keys come from @photo-pipeline/shared/resources, the same definition the local
 * stack provisions, so local and AWS behave alike.
 */
export class Storage extends Construct {
  readonly accessLogsBucket: s3.Bucket;
  readonly uploadsBucket: s3.Bucket;
  readonly processedBucket: s3.Bucket;
  readonly jobsQueue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly resultsTable: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    const bucketDefaults = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: props.autoDeleteObjects,
    } as const;

    // Server access logs of the data buckets and the ALB's access logs (SSE-S3: what ELB log delivery supports).
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      ...bucketDefaults,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(90) }],
    });

    const lifecycleRules: s3.LifecycleRule[] = [
      { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ...(props.objectExpiryDays > 0
        ? [{ id: 'expire-objects', expiration: Duration.days(props.objectExpiryDays) }]
        : []),
    ];
    this.uploadsBucket = new s3.Bucket(this, 'Uploads', {
      ...bucketDefaults,
      lifecycleRules: [
        ...lifecycleRules,
        {
          id: 'expire-idempotency-markers',
          prefix: objectPrefixes.idempotency,
          expiration: idempotencyMarkerExpiry,
        },
      ],
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 's3/uploads/',
    });
    this.processedBucket = new s3.Bucket(this, 'Processed', {
      ...bucketDefaults,
      lifecycleRules,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 's3/processed/',
    });

    this.deadLetterQueue = new sqs.Queue(this, 'JobsDlq', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(jobsQueueDefaults.deadLetterRetentionSeconds),
      removalPolicy: props.removalPolicy,
    });
    this.jobsQueue = new sqs.Queue(this, 'Jobs', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(jobsQueueDefaults.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(jobsQueueDefaults.messageRetentionSeconds),
      // Long polling by default, so an idle processor does not spin on empty receives.
      receiveMessageWaitTime: Duration.seconds(20),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: jobsQueueDefaults.maxReceiveCount },
      removalPolicy: props.removalPolicy,
    });

    const { batchIndex, uploadDayIndex } = resultsTableKeys;
    this.resultsTable = new dynamodb.TableV2(this, 'Results', {
      partitionKey: { name: resultsTableKeys.partitionKey, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      removalPolicy: props.removalPolicy,
      globalSecondaryIndexes: [
        {
          indexName: batchIndex.name,
          partitionKey: { name: batchIndex.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: batchIndex.sortKey, type: dynamodb.AttributeType.STRING },
        },
        {
          indexName: uploadDayIndex.name,
          partitionKey: { name: uploadDayIndex.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: uploadDayIndex.sortKey, type: dynamodb.AttributeType.STRING },
        },
      ],
    });
  }
}
