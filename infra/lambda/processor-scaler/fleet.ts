import type { RunTaskCommandInput, Task } from '@aws-sdk/client-ecs';
import type { ScalerConfig } from './scaler-config.ts';

/** The startedBy tag of every task the scaler starts. */
export const scalerStartedBy = 'processor-scaler';
/** RunTask starts at most 10 tasks per call. */
export const maxTasksPerRunTask = 10;

/**
 * A stopped task of the current revision that failed (non-zero or no exit code) sooner than
 * minRunSeconds after it started is a start-up failure (a bad setting, a model that breaks the contract).
 * While ECS still lists one (about an hour), the scaler starts nothing, so a processor that cannot start
 * is not relaunched every minute; the jobs queue's oldest-message alarm tells the operator.
 */
export function startupFailureOf(
  stoppedTasks: readonly Task[],
  taskDefinitionArn: string,
  minRunSeconds: number,
): Task | undefined {
  return stoppedTasks.find((task) => {
    if (task.taskDefinitionArn !== taskDefinitionArn) return false;
    const processor = task.containers?.find((container) => container.name === 'processor');
    const exitCode = processor?.exitCode;
    const ranSeconds =
      task.startedAt && task.stoppedAt ? (task.stoppedAt.getTime() - task.startedAt.getTime()) / 1000 : 0;
    return exitCode !== 0 && ranSeconds < minRunSeconds;
  });
}

/** The RunTask calls that start `count` processors: at most 10 per call. */
export function runTaskBatches(count: number): number[] {
  const batches: number[] = [];
  for (let left = count; left > 0; left -= maxTasksPerRunTask)
    batches.push(Math.min(left, maxTasksPerRunTask));
  return batches;
}

/**
 * One RunTask request: the capacity-provider strategy (never a launch type: ECS refuses both together),
 * the stack's task network, the startedBy tag, and a client token shared by every invocation that makes
 * the same decision in the same minute, so two racing invocations start the tasks once (ECS answers the
 * second with the first's tasks).
 */
export function runTaskInput(
  config: ScalerConfig,
  count: number,
  idempotency: { readonly minute: number; readonly activeTasks: number; readonly batch: number },
): RunTaskCommandInput {
  return {
    cluster: config.CLUSTER_ARN,
    taskDefinition: config.TASK_DEFINITION_ARN,
    count,
    capacityProviderStrategy: [{ capacityProvider: config.CAPACITY_PROVIDER, weight: 1, base: 0 }],
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: config.SUBNET_IDS,
        securityGroups: config.SECURITY_GROUP_IDS,
        assignPublicIp: 'DISABLED',
      },
    },
    propagateTags: 'TASK_DEFINITION',
    startedBy: scalerStartedBy,
    clientToken: `scale-${idempotency.minute}-${idempotency.activeTasks}-${idempotency.batch}-${count}`,
  };
}
