import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { scalerConfigSchema } from '../../lambda/processor-scaler/scaler-config.ts';
import { processorStopTimeoutSeconds } from '../../src/constructs/processor.ts';
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
