import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { stackOutputNames } from '../../src/stack-outputs.ts';
import {
  containersOf,
  logicalIdOf,
  type SynthesizedPipeline,
  synthPipeline,
} from '../support/synth-pipeline.ts';

describe('the CPU processor on Fargate, VPC endpoints instead of NAT, HTTPS', () => {
  let pipeline: SynthesizedPipeline;
  beforeAll(() => {
    pipeline = synthPipeline({
      processorCompute: 'cpu',
      egress: 'endpoints',
      certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/abc',
      region: 'eu-west-1',
    });
  });

  it('runs the processor as a Fargate task through the FARGATE capacity provider, named by the scaler', () => {
    const taskId = logicalIdOf(pipeline.template, 'AWS::ECS::TaskDefinition', 'ProcessorCpuTask');
    pipeline.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'PhotoPipeline-processor',
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
    });
    pipeline.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ CAPACITY_PROVIDER: 'FARGATE', TASK_DEFINITION_ARN: { Ref: taskId } }),
      },
    });
    pipeline.template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 0);
    const [processor] = containersOf(pipeline.template, 'ProcessorCpuTask');
    expect(processor?.Environment).toEqual(
      expect.arrayContaining([{ Name: 'EXECUTION_PROVIDER', Value: 'cpu' }]),
    );
    expect(processor?.ResourceRequirements).toBeUndefined();
  });

  it('has no NAT gateway and reaches AWS through gateway and interface endpoints', () => {
    pipeline.template.resourceCountIs('AWS::EC2::NatGateway', 0);
    const endpoints = Object.values(pipeline.template.findResources('AWS::EC2::VPCEndpoint'));
    const services = endpoints.map((endpoint) => JSON.stringify(endpoint.Properties.ServiceName));
    for (const service of ['.s3', '.dynamodb', '.sqs', '.ecr.api', '.ecr.dkr', '.logs', '.secretsmanager']) {
      expect(
        services.some((name) => name.includes(service)),
        service,
      ).toBe(true);
    }
  });

  it('serves HTTPS with the given certificate and redirects HTTP', () => {
    pipeline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/abc' }],
    });
    pipeline.template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [Match.objectLike({ Type: 'redirect' })],
    });
  });
});

describe('the default stack', () => {
  let pipeline: SynthesizedPipeline;
  beforeAll(() => {
    pipeline = synthPipeline();
  });

  it('uses one NAT gateway, with free gateway endpoints for S3 and DynamoDB traffic', () => {
    pipeline.template.resourceCountIs('AWS::EC2::NatGateway', 1);
    pipeline.template.resourceCountIs('AWS::EC2::VPCEndpoint', 2);
    pipeline.template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
  });

  it('exports every output the run-task script and the deploy guide read', () => {
    const outputs: string[] = Object.keys(pipeline.template.toJSON().Outputs ?? {});
    for (const name of Object.values(stackOutputNames)) expect(outputs, name).toContain(name);
  });

  it('takes images from the tagged ECR repositories when imageTag is given', () => {
    const [api] = containersOf(pipeline.template, 'ApiServiceTaskDef');
    expect(JSON.stringify(api?.Image)).toContain('photo-pipeline/api:test');
  });
});

describe('with an alarm topic', () => {
  const topicArn = 'arn:aws:sns:us-east-1:111122223333:pipeline-alarms';
  let pipeline: SynthesizedPipeline;
  beforeAll(() => {
    pipeline = synthPipeline({ alarmTopicArn: topicArn });
  });

  it('notifies the topic of the DLQ, API 5xx and stuck jobs-queue alarms, and of their recovery', () => {
    const alarms = pipeline.template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { AlarmActions: [topicArn], OKActions: [topicArn] },
    });
    const metricNames = Object.values(alarms).map(
      (alarm) => alarm.Properties.MetricName ?? alarm.Properties.Metrics?.[0]?.Expression,
    );
    expect(metricNames.sort()).toEqual(
      [
        'ApproximateAgeOfOldestMessage',
        'ApproximateNumberOfMessagesVisible',
        'FILL(target, 0) + FILL(elb, 0)',
      ].sort(),
    );
  });

  it('leaves the trigger alarm on queue depth to EventBridge, not to the topic', () => {
    const triggerId = logicalIdOf(
      pipeline.template,
      'AWS::CloudWatch::Alarm',
      'ProcessorTriggerQueueNotEmpty',
    );
    const trigger = pipeline.template.findResources('AWS::CloudWatch::Alarm')[triggerId];
    expect(trigger?.Properties.AlarmActions).toBeUndefined();
  });
});

describe('GPU capacity options', () => {
  it('keeps the EC2 GPU Auto Scaling group from 0 by default, named by the scaler', () => {
    const pipeline = synthPipeline();
    const providerId = logicalIdOf(
      pipeline.template,
      'AWS::ECS::CapacityProvider',
      'ProcessorGpuCapacityProvider',
    );

    pipeline.template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '0',
      MaxSize: '1',
    });
    pipeline.template.hasResourceProperties('AWS::ECS::TaskDefinition', { RequiresCompatibilities: ['EC2'] });
    pipeline.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CAPACITY_PROVIDER: { Ref: providerId } }) },
    });
    expect(JSON.stringify(pipeline.template.toJSON())).not.toContain('ManagedInstancesProvider');
  });

  it.each([
    ['managed-instances', 'ON_DEMAND'],
    ['managed-instances-spot', 'SPOT'],
  ])(
    'with gpuCapacity=%s runs the GPU task on ECS Managed Instances with NVIDIA GPUs (%s), no Auto Scaling group',
    (gpuCapacity, capacityOptionType) => {
      const pipeline = synthPipeline({ gpuCapacity });
      const providerId = logicalIdOf(
        pipeline.template,
        'AWS::ECS::CapacityProvider',
        'ProcessorManagedGpuCapacityProvider',
      );
      const provider = pipeline.template.findResources('AWS::ECS::CapacityProvider')[providerId];
      const instances = provider?.Properties.ManagedInstancesProvider;

      pipeline.template.resourceCountIs('AWS::AutoScaling::AutoScalingGroup', 0);
      expect(instances.InstanceLaunchTemplate.CapacityOptionType).toBe(capacityOptionType);
      expect(instances.InstanceLaunchTemplate.InstanceRequirements).toMatchObject({
        AcceleratorTypes: ['gpu'],
        AcceleratorManufacturers: ['nvidia'],
        AcceleratorCount: { Min: 1 },
      });
      pipeline.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
        Family: 'PhotoPipeline-processor',
        RequiresCompatibilities: ['MANAGED_INSTANCES'],
        ContainerDefinitions: [Match.objectLike({ ResourceRequirements: [{ Type: 'GPU', Value: '1' }] })],
      });
      pipeline.template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ CAPACITY_PROVIDER: { Ref: providerId } }) },
      });
    },
  );
});
