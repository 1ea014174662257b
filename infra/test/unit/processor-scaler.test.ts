import type { Task } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { runTaskBatches, runTaskInput, startupFailureOf } from '../../lambda/processor-scaler/fleet.ts';
import { scalerConfigSchema } from '../../lambda/processor-scaler/scaler-config.ts';

const revision = 'arn:aws:ecs:eu-west-1:111122223333:task-definition/PhotoPipeline-processor:3';
const stoppedAfter = (seconds: number, exitCode: number | undefined, taskDefinitionArn = revision): Task => ({
  taskArn: 'arn:aws:ecs:eu-west-1:111122223333:task/cluster/abc',
  taskDefinitionArn,
  startedAt: new Date('2026-01-01T00:00:00.000Z'),
  stoppedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + seconds * 1000),
  containers: [{ name: 'processor', exitCode }],
});

const config = scalerConfigSchema.parse({
  CLUSTER_ARN: 'arn:cluster',
  TASK_FAMILY: 'PhotoPipeline-processor',
  TASK_DEFINITION_ARN: revision,
  CAPACITY_PROVIDER: 'gpu-provider',
  JOBS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/jobs',
  SUBNET_IDS: 'subnet-a,subnet-b',
  SECURITY_GROUP_IDS: 'sg-1',
  MAX_PROCESSOR_TASKS: '3',
});

describe('processor scaler: start-up failures hold it', () => {
  it.each([
    ['a task of this revision that failed 5 s after starting', [stoppedAfter(5, 2)], true],
    [
      'a task that never started (no exit code)',
      [{ ...stoppedAfter(0, undefined), startedAt: undefined }],
      true,
    ],
    ['a task that drained and exited 0 quickly', [stoppedAfter(5, 0)], false],
    ['a task that crashed after 10 minutes', [stoppedAfter(600, 137)], false],
    ['a start-up failure of an older revision', [stoppedAfter(5, 2, `${revision.slice(0, -1)}2`)], false],
    ['no stopped task', [], false],
  ])('%s: holds = %s', (_case, stopped, holds) => {
    expect(startupFailureOf(stopped, revision, 60) !== undefined).toBe(holds);
  });
});

describe('processor scaler: RunTask requests', () => {
  it('starts at most 10 tasks per RunTask call', () => {
    expect(runTaskBatches(0)).toEqual([]);
    expect(runTaskBatches(3)).toEqual([3]);
    expect(runTaskBatches(10)).toEqual([10]);
    expect(runTaskBatches(23)).toEqual([10, 10, 3]);
  });

  it('runs the processor with the capacity-provider strategy, no launch type, the startedBy tag and a client token', () => {
    const input = runTaskInput(config, 3, { minute: 29_000_000, activeTasks: 0, batch: 0 });

    expect(input).toEqual({
      cluster: 'arn:cluster',
      taskDefinition: revision,
      count: 3,
      capacityProviderStrategy: [{ capacityProvider: 'gpu-provider', weight: 1, base: 0 }],
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-a', 'subnet-b'],
          securityGroups: ['sg-1'],
          assignPublicIp: 'DISABLED',
        },
      },
      propagateTags: 'TASK_DEFINITION',
      startedBy: 'processor-scaler',
      clientToken: 'scale-29000000-0-0-3',
    });
    expect(input).not.toHaveProperty('launchType');
  });

  it('gives two invocations making the same decision in the same minute the same client token, and others another', () => {
    const token = (minute: number, activeTasks: number) =>
      runTaskInput(config, 2, { minute, activeTasks, batch: 0 }).clientToken;

    expect(token(5, 1)).toBe(token(5, 1));
    expect(token(5, 1)).not.toBe(token(6, 1));
    expect(token(5, 1)).not.toBe(token(5, 2));
    expect(token(5, 1)?.length).toBeLessThanOrEqual(64);
  });
});
