import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { idempotencyPrefix } from '@photo-pipeline/shared/contracts';
import { jobsQueueDefaults, resultsTableKeys } from '@photo-pipeline/shared/resources';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { scalerConfigSchema } from '../../lambda/processor-scaler/scaler-config.ts';
import { jobsQueueStuckAge } from '../../src/constructs/observability.ts';
import { processorStopTimeoutSeconds } from '../../src/constructs/processor.ts';
import { repoRoot } from '../../src/container-images.ts';
import { objectPrefixes } from '../../src/object-prefixes.ts';
import {
  containersOf,
  logicalIdOf,
  type SynthesizedPipeline,
  synthPipeline,
} from '../support/synth-pipeline.ts';

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

describe('upload API service', () => {
  it('health-checks the tasks on /readyz', () => {
    pipeline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      HealthCheckPath: '/readyz',
      Protocol: 'HTTP',
      TargetType: 'ip',
    });
  });

  it('rolls back a deployment that does not stabilise', () => {
    pipeline.template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DeploymentConfiguration: Match.objectLike({
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
      }),
    });
  });

  it('scales on CPU and on requests per target', () => {
    const metrics = Object.values(
      pipeline.template.findResources('AWS::ApplicationAutoScaling::ScalingPolicy'),
    ).map(
      (policy) =>
        policy.Properties.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification
          .PredefinedMetricType,
    );
    expect(metrics.sort()).toEqual(['ALBRequestCountPerTarget', 'ECSServiceAverageCPUUtilization']);
  });

  it('serves plain HTTP when no certificate is given', () => {
    pipeline.template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    pipeline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
    });
  });

  it('lets the API finish in-flight uploads after SIGTERM within the container stop timeout', () => {
    const [api] = containersOf(pipeline.template, 'ApiServiceTaskDef');
    const shutdown = api?.Environment?.find((entry) => entry.Name === 'SHUTDOWN_TIMEOUT_MS')?.Value;
    expect(api?.StopTimeout).toBe(60);
    expect(api?.LinuxParameters).toEqual({ InitProcessEnabled: true });
    expect(Number(shutdown)).toBeLessThan(Number(api?.StopTimeout) * 1000);
  });

  it('runs the API as 0.0.0.0:3000 and takes API_KEYS from Secrets Manager', () => {
    const [api] = containersOf(pipeline.template, 'ApiServiceTaskDef');
    expect(api?.PortMappings).toEqual([{ ContainerPort: 3000, Protocol: 'tcp' }]);
    expect(api?.Environment).toEqual(expect.arrayContaining([{ Name: 'HOST', Value: '0.0.0.0' }]));
    expect(api?.Secrets?.map((secret) => secret.Name)).toEqual(['API_KEYS']);
  });
});

describe('processor', () => {
  it('gives SIGTERM time and an init process, on one GPU', () => {
    const [processor] = containersOf(pipeline.template, 'ProcessorGpuTask');
    expect(processor?.StopTimeout).toBe(processorStopTimeoutSeconds);
    const stopSeconds = processor?.Environment?.find((entry) => entry.Name === 'STOP_TIMEOUT_SECONDS')?.Value;
    expect(Number(stopSeconds)).toBeLessThan(processorStopTimeoutSeconds);
    expect(processor?.LinuxParameters).toEqual(expect.objectContaining({ InitProcessEnabled: true }));
    expect(processor?.ResourceRequirements).toEqual([{ Type: 'GPU', Value: '1' }]);
    expect(processor?.Environment).toEqual(
      expect.arrayContaining([{ Name: 'EXECUTION_PROVIDER', Value: 'cuda' }]),
    );
  });

  it('runs GPU tasks on an Auto Scaling group from 0 on the ECS GPU-optimised AMI', () => {
    pipeline.template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '0',
      MaxSize: '1',
    });
    const parameters = pipeline.template.toJSON().Parameters as Record<string, { Default?: string }>;
    expect(Object.values(parameters).map((parameter) => parameter.Default)).toContain(
      '/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id',
    );
    pipeline.template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        InstanceType: 'g4dn.xlarge',
        MetadataOptions: Match.objectLike({ HttpTokens: 'required' }),
        BlockDeviceMappings: [
          { DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 80, VolumeType: 'gp3' } },
        ],
      }),
    });
    pipeline.template.hasResourceProperties('AWS::ECS::CapacityProvider', {
      AutoScalingGroupProvider: Match.objectLike({
        ManagedScaling: Match.objectLike({ Status: 'ENABLED', TargetCapacity: 100 }),
      }),
    });
  });
});

describe('processor trigger: the scaler on the alarm, a one-minute schedule and every task stop', () => {
  const scalerId = () => logicalIdOf(pipeline.template, 'AWS::Lambda::Function', 'ProcessorTriggerScaler');
  const ruleTargets = (prefix: string) =>
    pipeline.template.findResources('AWS::Events::Rule')[
      logicalIdOf(pipeline.template, 'AWS::Events::Rule', prefix)
    ]?.Properties;

  it('raises an alarm as soon as one message is visible in the jobs queue', () => {
    const queueId = pipeline.logicalId(pipeline.stack.storage.jobsQueue);
    pipeline.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('runs the scaler (not RunTask directly) when the alarm goes to ALARM', () => {
    const alarmId = logicalIdOf(pipeline.template, 'AWS::CloudWatch::Alarm', 'ProcessorTriggerQueueNotEmpty');
    const rule = ruleTargets('ProcessorTriggerOnQueueNotEmpty');

    expect(rule?.EventPattern).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: [{ 'Fn::GetAtt': [alarmId, 'Arn'] }],
      detail: { state: { value: ['ALARM'] } },
    });
    expect(rule?.Targets).toHaveLength(1);
    expect(rule?.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [scalerId(), 'Arn'] });
    expect(rule?.Targets[0].EcsParameters).toBeUndefined();
  });

  it('runs the scaler on a one-minute schedule, so a backlog that grows under an alarm already in ALARM is served', () => {
    const rule = ruleTargets('ProcessorTriggerScaleSchedule');

    expect(rule?.ScheduleExpression).toBe('rate(1 minute)');
    expect(rule?.State).toBe('ENABLED');
    expect(rule?.Targets.map((target: { Arn: unknown }) => target.Arn)).toEqual([
      { 'Fn::GetAtt': [scalerId(), 'Arn'] },
    ]);
  });

  it('sends every stop of a processor task in this cluster to the scaler', () => {
    const rule = ruleTargets('ProcessorTriggerOnProcessorStopped');

    expect(rule?.EventPattern).toEqual({
      source: ['aws.ecs'],
      'detail-type': ['ECS Task State Change'],
      detail: {
        clusterArn: [pipeline.resolve(pipeline.stack.cluster.clusterArn)],
        group: ['family:PhotoPipeline-processor'],
        lastStatus: ['STOPPED'],
      },
    });
    expect(rule?.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [scalerId(), 'Arn'] });
  });

  it('gives the scaler a configuration its own schema accepts, with the GPU capacity provider and the limits', () => {
    const fn = pipeline.template.findResources('AWS::Lambda::Function')[scalerId()];
    const variables = fn?.Properties.Environment.Variables;

    expect(fn?.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x' });
    expect(Object.keys(variables).sort()).toEqual(Object.keys(scalerConfigSchema.shape).sort());
    expect(variables).toMatchObject({
      CAPACITY_PROVIDER: {
        Ref: logicalIdOf(pipeline.template, 'AWS::ECS::CapacityProvider', 'ProcessorGpuCapacityProvider'),
      },
      TASK_FAMILY: 'PhotoPipeline-processor',
      MAX_PROCESSOR_TASKS: '1',
      BACKLOG_PER_TASK: '100',
    });
  });

  it('takes MAX_PROCESSOR_TASKS and BACKLOG_PER_TASK from the context', () => {
    const variant = synthPipeline({
      processorCompute: 'cpu',
      maxProcessorTasks: '10',
      backlogPerTask: '500',
    });
    variant.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          MAX_PROCESSOR_TASKS: '10',
          BACKLOG_PER_TASK: '500',
          CAPACITY_PROVIDER: 'FARGATE',
        }),
      },
    });
  });
});

describe('observability', () => {
  it('gives every log group a retention', () => {
    const groups = Object.values(pipeline.template.findResources('AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(14);
  });

  it('alarms on any message in the DLQ and on API 5xx answers', () => {
    const dlqId = logicalIdOf(pipeline.template, 'AWS::SQS::Queue', 'StorageJobsDlq');
    pipeline.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
    });
    pipeline.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'HTTPCode_Target_5XX_Count' }),
          }),
        }),
      ]),
      Threshold: 5,
    });
  });

  it('alarms when the oldest jobs message is an hour old, long before the queue retention drops it', () => {
    // A processor failing at start-up is not restarted by the scaler and the queue-depth trigger stays in
    // ALARM, so without this alarm the messages would sit silently until the retention expires.
    const queueId = pipeline.logicalId(pipeline.stack.storage.jobsQueue);
    expect(jobsQueueStuckAge.toSeconds()).toBe(3600);
    expect(jobsQueueStuckAge.toSeconds()).toBeLessThan(jobsQueueDefaults.messageRetentionSeconds / 24);
    const alarms = pipeline.template.findResources('AWS::CloudWatch::Alarm', {
      Properties: {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      },
    });
    expect(Object.values(alarms).map((alarm) => alarm.Properties)).toEqual([
      expect.objectContaining({
        Statistic: 'Maximum',
        Threshold: 3600,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      }),
    ]);
  });

  it('draws queue depth, oldest message age, DLQ depth, images processed and failed, API 5xx and latency', () => {
    const dashboards = Object.values(pipeline.template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(pipeline.resolve(dashboards[0]?.Properties.DashboardBody));
    for (const metric of [
      'ApproximateNumberOfMessagesVisible',
      'ApproximateAgeOfOldestMessage',
      'ImagesProcessed',
      'ImagesFailed',
      'HTTPCode_Target_5XX_Count',
      'TargetResponseTime',
    ]) {
      expect(body).toContain(metric);
    }
  });
});
