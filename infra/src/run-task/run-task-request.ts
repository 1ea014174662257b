import type { RunTaskCommandInput } from '@aws-sdk/client-ecs';
import type { ResultsTaskTarget } from './results-task-target.ts';

/** The RunTask request: a Fargate task in the private subnets, the CLI's arguments as the command. */
export function runTaskRequest(
  target: ResultsTaskTarget,
  resultsArgs: readonly string[],
): RunTaskCommandInput {
  return {
    cluster: target.clusterArn,
    taskDefinition: target.taskDefinitionArn,
    launchType: 'FARGATE',
    count: 1,
    startedBy: 'run-results-task',
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: [...target.subnetIds],
        securityGroups: [target.securityGroupId],
        assignPublicIp: 'DISABLED',
      },
    },
    overrides: { containerOverrides: [{ name: target.containerName, command: [...resultsArgs] }] },
  };
}

/** The awslogs driver's stream name: <prefix>/<container>/<task id>. */
export function logStreamNameOf(target: ResultsTaskTarget, taskArn: string): string {
  const taskId = taskArn.split('/').at(-1) ?? taskArn;
  return `${target.logStreamPrefix}/${target.containerName}/${taskId}`;
}
