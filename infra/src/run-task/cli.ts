// `pnpm --filter @photo-pipeline/infra run-results -- <results CLI arguments>`: runs the results task of
// a deployed stack on ECS, waits for it, prints its log lines and exits with its exit code.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, ECSClient, RunTaskCommand } from '@aws-sdk/client-ecs';
import { classifyAwsError } from '@photo-pipeline/shared/aws';
import { runMain } from '@photo-pipeline/shared/cli';
import { PermanentError } from '@photo-pipeline/shared/errors';
import { fetchLogLines } from './fetch-log-lines.ts';
import { resultsTaskTargetOf } from './results-task-target.ts';
import { parseRunTaskArgs } from './run-task-args.ts';
import { logStreamNameOf, runTaskRequest } from './run-task-request.ts';
import { exitCodeOf, waitForTaskStop } from './wait-for-task.ts';

await runMain(async () => {
  const options = parseRunTaskArgs(process.argv.slice(2), { region: process.env.AWS_REGION });
  if ('help' in options) {
    process.stdout.write(options.help);
    return 0;
  }
  const clientConfig = options.region ? { region: options.region } : {};
  const cloudFormation = new CloudFormationClient(clientConfig);
  const ecs = new ECSClient(clientConfig);
  const logs = new CloudWatchLogsClient(clientConfig);
  const progress = (line: string) => process.stderr.write(`${line}\n`);

  const stacks = await cloudFormation
    .send(new DescribeStacksCommand({ StackName: options.stackName }))
    .catch((error: unknown) => {
      throw classifyAwsError(error, `reading the outputs of stack ${options.stackName}`);
    });
  const target = resultsTaskTargetOf(options.stackName, stacks.Stacks?.[0]?.Outputs ?? []);

  const started = await ecs
    .send(new RunTaskCommand(runTaskRequest(target, options.resultsArgs)))
    .catch((error: unknown) => {
      throw classifyAwsError(error, 'starting the results task');
    });
  const taskArn = started.tasks?.[0]?.taskArn;
  if (!taskArn) {
    throw new PermanentError(
      'DEPENDENCY_FAILED',
      `ECS did not start the task: ${JSON.stringify(started.failures ?? [])}`,
    );
  }
  progress(`started ${taskArn}`);
  if (!options.wait) {
    process.stdout.write(`${taskArn}\n`);
    return 0;
  }

  const stopped = await waitForTaskStop(
    async () =>
      (await ecs.send(new DescribeTasksCommand({ cluster: target.clusterArn, tasks: [taskArn] }))).tasks?.[0],
    {
      timeoutSeconds: options.timeoutSeconds,
      pollSeconds: 5,
      onStatus: (status) => progress(`task ${status.toLowerCase()}`),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: Date.now,
    },
  );

  const logStreamName = logStreamNameOf(target, taskArn);
  const lines = await fetchLogLines(async (token) => {
    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName: target.logGroupName,
        logStreamName,
        startFromHead: true,
        ...(token ? { nextToken: token } : {}),
      }),
    );
    return {
      messages: (page.events ?? []).map((event) => event.message ?? ''),
      nextForwardToken: page.nextForwardToken,
    };
  }).catch((error: unknown) => {
    throw classifyAwsError(error, `reading ${target.logGroupName}/${logStreamName}`);
  });
  for (const line of lines) process.stdout.write(`${line}\n`);
  return exitCodeOf(stopped, target.containerName);
});
