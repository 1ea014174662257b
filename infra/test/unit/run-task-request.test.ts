import { describe, expect, it } from 'vitest';
import { resultsTaskTargetOf } from '../../src/run-task/results-task-target.ts';
import { logStreamNameOf, runTaskRequest } from '../../src/run-task/run-task-request.ts';
import { deployedOutputs, logicalIdIn, physicalValue } from '../support/deployed-outputs.ts';
import { synthPipeline } from '../support/synth-pipeline.ts';

interface ResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

interface ContainerJson {
  readonly Name: string;
  readonly LogConfiguration?: { LogDriver: string; Options: Record<string, unknown> };
}

// Prepare: the stack as deployed, its outputs as DescribeStacks gives them, and the request the script
// builds from them (what cli.ts sends to ECS).
const { template } = synthPipeline();
const resources: Record<string, ResourceJson> = template.toJSON().Resources;
const resultsArgs = ['report', 'batch-1', '--json', '--since', '24h'];
const target = resultsTaskTargetOf('PhotoPipeline', deployedOutputs(template));
const request = runTaskRequest(target, resultsArgs);

function resourceNamedBy(physical: string | undefined): ResourceJson {
  const resource = physical === undefined ? undefined : resources[logicalIdIn(physical)];
  if (!resource) throw new Error(`no resource in the template behind ${physical}`);
  return resource;
}

const taskDefinition = resourceNamedBy(request.taskDefinition);
const containers = (taskDefinition.Properties?.ContainerDefinitions ?? []) as ContainerJson[];
const override = request.overrides?.containerOverrides?.[0];

describe('the RunTask request built from the deployed stack outputs', () => {
  it("starts one copy of the stack's task definition in the stack's cluster", () => {
    expect(resourceNamedBy(request.cluster).Type).toBe('AWS::ECS::Cluster');
    expect(taskDefinition.Type).toBe('AWS::ECS::TaskDefinition');
    expect(request.count).toBe(1);
  });

  it('asks for a launch type the task definition is compatible with, and the network its mode needs', () => {
    expect(taskDefinition.Properties?.RequiresCompatibilities).toContain(request.launchType);
    expect(taskDefinition.Properties?.NetworkMode).toBe('awsvpc');
    expect(request.networkConfiguration?.awsvpcConfiguration?.subnets?.length).toBeGreaterThan(0);
  });

  it('overrides the command of a container the task definition has, with the CLI arguments untouched', () => {
    expect(request.overrides?.containerOverrides).toHaveLength(1);
    expect(containers.map((container) => container.Name)).toContain(override?.name);
    expect(override?.command).toEqual(resultsArgs);
  });

  it('places the task in private subnets with the results security group, which admits nothing, and no public IP', () => {
    const network = request.networkConfiguration?.awsvpcConfiguration;
    for (const subnetId of network?.subnets ?? []) {
      const subnet = resourceNamedBy(subnetId);
      expect(subnet.Type).toBe('AWS::EC2::Subnet');
      expect(subnet.Properties?.MapPublicIpOnLaunch).not.toBe(true);
      expect(subnet.Properties?.Tags).toContainEqual({ Key: 'aws-cdk:subnet-type', Value: 'Private' });
    }
    expect(network?.securityGroups).toHaveLength(1);
    const securityGroup = resourceNamedBy(network?.securityGroups?.[0]);
    expect(securityGroup.Type).toBe('AWS::EC2::SecurityGroup');
    expect(securityGroup.Properties?.SecurityGroupIngress).toBeUndefined();
    const groupId = logicalIdIn(network?.securityGroups?.[0] ?? '');
    const ingressRules = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'));
    expect(ingressRules.filter((rule) => JSON.stringify(rule).includes(`"${groupId}"`))).toEqual([]);
    expect(network?.assignPublicIp).toBe('DISABLED');
  });

  it('reads the log stream that the awslogs driver of the overridden container writes', () => {
    const container = containers.find((candidate) => candidate.Name === override?.name);
    const logging = container?.LogConfiguration;
    expect(logging?.LogDriver).toBe('awslogs');
    expect(physicalValue(logging?.Options['awslogs-group'])).toBe(target.logGroupName);

    const stream = logStreamNameOf(target, 'arn:aws:ecs:us-east-1:111122223333:task/pp/0123456789abcdef');

    // awslogs names a task's stream <awslogs-stream-prefix>/<container name>/<task id>.
    expect(stream).toBe(
      `${String(logging?.Options['awslogs-stream-prefix'])}/${container?.Name}/0123456789abcdef`,
    );
  });
});
