import type { Task } from '@aws-sdk/client-ecs';
import { describe, expect, it } from 'vitest';
import { fetchLogLines } from '../../src/run-task/fetch-log-lines.ts';
import { type ResultsTaskTarget, resultsTaskTargetOf } from '../../src/run-task/results-task-target.ts';
import { parseRunTaskArgs } from '../../src/run-task/run-task-args.ts';
import { exitCodeOf, waitForTaskStop } from '../../src/run-task/wait-for-task.ts';
import { stackOutputNames } from '../../src/stack-outputs.ts';

const target: ResultsTaskTarget = {
  clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/pp',
  taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/PhotoPipelineResults:3',
  containerName: 'results',
  subnetIds: ['subnet-a', 'subnet-b'],
  securityGroupId: 'sg-1',
  logGroupName: 'PhotoPipeline-ResultsLogs',
  logStreamPrefix: 'results',
};

describe('run-results-task arguments', () => {
  it('passes everything after -- to the results CLI untouched, options included', () => {
    const options = parseRunTaskArgs(['--stack', 'Staging', '--', 'report', 'batch-1', '--json'], {
      region: 'eu-west-1',
    });
    expect(options).toEqual({
      stackName: 'Staging',
      region: 'eu-west-1',
      timeoutSeconds: 900,
      wait: true,
      resultsArgs: ['report', 'batch-1', '--json'],
    });
  });

  it('takes the results command without -- too, and defaults the stack name', () => {
    const options = parseRunTaskArgs(['get', '01J9ZABCDEF', '--json'], { region: undefined });
    expect(options).toMatchObject({
      stackName: 'PhotoPipeline',
      resultsArgs: ['get', '01J9ZABCDEF', '--json'],
    });
  });

  it('answers --help before -- with its own usage', () => {
    const parsed = parseRunTaskArgs(['--help'], { region: undefined });
    expect(parsed).toEqual({ help: expect.stringContaining('run-results-task') });
  });

  it('refuses a missing results command and a bad timeout with INVALID_ARGUMENT', () => {
    expect(() => parseRunTaskArgs(['--stack', 'X'], { region: undefined })).toThrow(/no results command/);
    expect(() => parseRunTaskArgs(['--timeout', 'soon', '--', 'list'], { region: undefined })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('the results task target', () => {
  it('reads its target from the stack outputs, naming any that are missing', () => {
    const outputs = [
      { OutputKey: stackOutputNames.clusterArn, OutputValue: target.clusterArn },
      { OutputKey: stackOutputNames.resultsTaskDefinitionArn, OutputValue: target.taskDefinitionArn },
      { OutputKey: stackOutputNames.resultsContainerName, OutputValue: 'results' },
      { OutputKey: stackOutputNames.resultsSubnetIds, OutputValue: 'subnet-a,subnet-b' },
      { OutputKey: stackOutputNames.resultsSecurityGroupId, OutputValue: 'sg-1' },
      { OutputKey: stackOutputNames.resultsLogGroupName, OutputValue: target.logGroupName },
      { OutputKey: stackOutputNames.resultsLogStreamPrefix, OutputValue: 'results' },
    ];
    expect(resultsTaskTargetOf('PhotoPipeline', outputs)).toEqual(target);
    expect(() => resultsTaskTargetOf('Other', outputs.slice(1))).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('ClusterArn') }),
    );
  });
});

describe('waiting for the task', () => {
  const clock = () => {
    let now = 0;
    const sleep = async (ms: number) => {
      now += ms;
    };
    return { now: () => now, sleep };
  };

  it('polls until STOPPED, reporting each status change once', async () => {
    const statuses = ['PROVISIONING', 'PENDING', 'PENDING', 'RUNNING', 'STOPPED'];
    const seen: string[] = [];
    const { now, sleep } = clock();
    const describeTask = async (): Promise<Task> => ({ lastStatus: statuses.shift() });
    const task = await waitForTaskStop(describeTask, {
      timeoutSeconds: 60,
      pollSeconds: 5,
      onStatus: (status) => seen.push(status),
      sleep,
      now,
    });
    expect(task.lastStatus).toBe('STOPPED');
    expect(seen).toEqual(['PROVISIONING', 'PENDING', 'RUNNING', 'STOPPED']);
  });

  it('gives up after the timeout with DEPENDENCY_FAILED', async () => {
    const { now, sleep } = clock();
    await expect(
      waitForTaskStop(async () => ({ lastStatus: 'RUNNING' }), {
        timeoutSeconds: 20,
        pollSeconds: 5,
        onStatus: () => undefined,
        sleep,
        now,
      }),
    ).rejects.toMatchObject({ code: 'DEPENDENCY_FAILED' });
  });

  it("returns the results container's exit code, and explains a task that never ran", () => {
    expect(exitCodeOf({ containers: [{ name: 'results', exitCode: 3 }] }, 'results')).toBe(3);
    expect(() =>
      exitCodeOf(
        { stoppedReason: 'CannotPullContainerError: pull access denied', containers: [{ name: 'results' }] },
        'results',
      ),
    ).toThrow(/stopped without running: CannotPullContainerError/);
  });
});

describe('fetching the log lines', () => {
  it('reads every page until CloudWatch Logs hands back the same token', async () => {
    const pages: Record<string, { messages: string[]; nextForwardToken: string }> = {
      start: { messages: ['line 1', 'line 2'], nextForwardToken: 'f/1' },
      'f/1': { messages: ['line 3'], nextForwardToken: 'f/2' },
      'f/2': { messages: [], nextForwardToken: 'f/2' },
    };
    const lines = await fetchLogLines(
      async (token) => pages[token ?? 'start'] ?? { messages: [], nextForwardToken: undefined },
    );
    expect(lines).toEqual(['line 1', 'line 2', 'line 3']);
  });
});
