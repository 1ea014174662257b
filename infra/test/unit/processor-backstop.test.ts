import { describe, expect, it } from 'vitest';
import { decideRestart, runTaskInput, stoppedTaskOf } from '../../lambda/processor-backstop/decide.mjs';

const stoppedAfter = (seconds: number, exitCode: number | undefined) => ({
  taskArn: 'arn:aws:ecs:eu-west-1:111122223333:task/cluster/abc',
  startedAt: '2026-01-01T00:00:00.000Z',
  stoppedAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + seconds * 1000).toISOString(),
  exitCode,
});

describe('processor backstop', () => {
  it('starts a processor again when messages remain and none is active', () => {
    const decision = decideRestart(
      stoppedAfter(600, 137),
      { messagesVisible: 3, messagesInFlight: 1, activeProcessorTasks: 0 },
      60,
    );
    expect(decision).toEqual({ restart: true, reason: '4 message(s) remain' });
  });

  it('does nothing when the queue is empty (the normal idle exit)', () => {
    const decision = decideRestart(
      stoppedAfter(300, 0),
      { messagesVisible: 0, messagesInFlight: 0, activeProcessorTasks: 0 },
      60,
    );
    expect(decision.restart).toBe(false);
  });

  it('does nothing while another processor task is active', () => {
    const decision = decideRestart(
      stoppedAfter(300, 0),
      { messagesVisible: 5, messagesInFlight: 0, activeProcessorTasks: 1 },
      60,
    );
    expect(decision).toEqual({ restart: false, reason: '1 processor task(s) still active' });
  });

  it('does not loop on a processor that fails at start-up (e.g. a model that breaks the contract)', () => {
    const decision = decideRestart(
      stoppedAfter(5, 2),
      { messagesVisible: 5, messagesInFlight: 0, activeProcessorTasks: 0 },
      60,
    );
    expect(decision.restart).toBe(false);
    expect(decision.reason).toContain('start-up failure');
  });

  it('reads the processor container exit code and times from an ECS Task State Change event', () => {
    const stopped = stoppedTaskOf({
      detail: {
        taskArn: 'arn:task',
        startedAt: '2026-01-01T00:00:00Z',
        stoppedAt: '2026-01-01T00:10:00Z',
        containers: [{ name: 'processor', exitCode: 0 }],
      },
    });
    expect(stopped).toEqual({
      taskArn: 'arn:task',
      startedAt: '2026-01-01T00:00:00Z',
      stoppedAt: '2026-01-01T00:10:00Z',
      exitCode: 0,
    });
    expect(stoppedTaskOf({}).exitCode).toBeUndefined();
  });

  it('runs one processor task with the capacity-provider strategy and no launch type', () => {
    const input = runTaskInput({
      CLUSTER_ARN: 'arn:cluster',
      TASK_DEFINITION_ARN: 'arn:task-definition:3',
      CAPACITY_PROVIDER: 'gpu-provider',
      SUBNET_IDS: 'subnet-a,subnet-b',
      SECURITY_GROUP_IDS: 'sg-1',
    });
    expect(input).toEqual({
      cluster: 'arn:cluster',
      taskDefinition: 'arn:task-definition:3',
      count: 1,
      capacityProviderStrategy: [{ capacityProvider: 'gpu-provider', weight: 1, base: 0 }],
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: ['subnet-a', 'subnet-b'],
          securityGroups: ['sg-1'],
          assignPublicIp: 'DISABLED',
        },
      },
      propagateTags: 'TASK_DEFINITION',
      startedBy: 'processor-backstop',
    });
    expect(input).not.toHaveProperty('launchType');
  });
});
