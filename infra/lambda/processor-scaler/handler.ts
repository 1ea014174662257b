// The processor scaler: on the jobs-queue alarm, every minute, and on every stop of a processor task,
// start the processors the backlog needs (the shared decision), up to MAX_PROCESSOR_TASKS.
import {
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RunTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createLogger } from '@photo-pipeline/shared/log';
import { decideProcessorsToStart, scalingLimitsOf } from '@photo-pipeline/shared/scaling';
import { runTaskBatches, runTaskInput, startupFailureOf } from './fleet.ts';
import { scalerConfigSchema } from './scaler-config.ts';

const config = scalerConfigSchema.parse(process.env);
const logger = createLogger({ service: 'processor-scaler' });
const ecs = new ECSClient({});
const sqs = new SQSClient({});

async function listFamilyTasks(desiredStatus: 'RUNNING' | 'PENDING' | 'STOPPED'): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(
      new ListTasksCommand({
        cluster: config.CLUSTER_ARN,
        family: config.TASK_FAMILY,
        desiredStatus,
        nextToken,
      }),
    );
    arns.push(...(page.taskArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

async function describeTasks(arns: readonly string[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let index = 0; index < arns.length; index += 100) {
    const page = await ecs.send(
      new DescribeTasksCommand({ cluster: config.CLUSTER_ARN, tasks: arns.slice(index, index + 100) }),
    );
    tasks.push(...(page.tasks ?? []));
  }
  return tasks;
}

export async function handler(): Promise<{ started: number; reason: string }> {
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: config.JOBS_QUEUE_URL,
      AttributeNames: ['ApproximateNumberOfMessages'],
    }),
  );
  const visibleMessages = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0);
  if (visibleMessages === 0) return { started: 0, reason: 'the jobs queue has no visible message' };

  // PENDING and RUNNING together: a task just started is counted, so a second invocation does not start it again.
  const [running, pending] = await Promise.all([listFamilyTasks('RUNNING'), listFamilyTasks('PENDING')]);
  const activeTasks = new Set([...running, ...pending]).size;
  const decision = decideProcessorsToStart({ visibleMessages, activeTasks }, scalingLimitsOf(config));
  const state = { visibleMessages, activeTasks, ...decision };
  if (decision.tasksToStart === 0) {
    logger.info(state, 'processor fleet matches the backlog');
    return { started: 0, reason: 'the fleet matches the backlog' };
  }
  const failed = startupFailureOf(
    await describeTasks(await listFamilyTasks('STOPPED')),
    config.TASK_DEFINITION_ARN,
    config.MIN_RUN_SECONDS,
  );
  if (failed) {
    logger.error(
      { ...state, taskArn: failed.taskArn, stoppedReason: failed.stoppedReason },
      'a processor task of this revision failed at start-up: starting none (its log says why)',
    );
    return { started: 0, reason: 'a processor task failed at start-up' };
  }

  const minute = Math.floor(Date.now() / 60_000);
  const started: string[] = [];
  for (const [batch, count] of runTaskBatches(decision.tasksToStart).entries()) {
    const result = await ecs.send(
      new RunTaskCommand(runTaskInput(config, count, { minute, activeTasks, batch })),
    );
    started.push(...(result.tasks ?? []).flatMap((task) => (task.taskArn ? [task.taskArn] : [])));
    if ((result.failures ?? []).length > 0) {
      logger.error({ ...state, started, failures: result.failures }, 'RunTask refused processor tasks');
      throw new Error(`RunTask failed: ${JSON.stringify(result.failures)}`);
    }
  }
  logger.info({ ...state, started }, 'processor tasks started');
  return { started: started.length, reason: `${visibleMessages} visible message(s)` };
}
