// The processor backstop: on every stop of a processor task, start another one if messages remain and
// none is active. The alarm -> rule -> RunTask trigger only fires when the queue goes from empty to
// non-empty; this covers a processor that crashed or was stopped with work left.
import { ECSClient, ListTasksCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { decideRestart, runTaskInput, stoppedTaskOf } from './decide.mjs';

const ecs = new ECSClient({});
const sqs = new SQSClient({});
const env = process.env;

export async function handler(event) {
  const stopped = stoppedTaskOf(event);
  const attributes = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: env.JOBS_QUEUE_URL,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const [running, pending] = await Promise.all(
    ['RUNNING', 'PENDING'].map((desiredStatus) =>
      ecs.send(new ListTasksCommand({ cluster: env.CLUSTER_ARN, family: env.TASK_FAMILY, desiredStatus })),
    ),
  );
  const state = {
    messagesVisible: Number(attributes.Attributes?.ApproximateNumberOfMessages ?? 0),
    messagesInFlight: Number(attributes.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    // desiredStatus RUNNING lists pending tasks too; a task that is stopping has desired status STOPPED.
    activeProcessorTasks: new Set([...(running.taskArns ?? []), ...(pending.taskArns ?? [])]).size,
  };
  const decision = decideRestart(stopped, state, Number(env.MIN_RUN_SECONDS ?? 60));
  console.log(JSON.stringify({ msg: 'processor backstop', stopped, state, decision }));
  if (!decision.restart) return decision;

  const result = await ecs.send(new RunTaskCommand(runTaskInput(env)));
  if ((result.failures ?? []).length > 0) {
    throw new Error(`RunTask failed: ${JSON.stringify(result.failures)}`);
  }
  return { ...decision, taskArns: (result.tasks ?? []).map((task) => task.taskArn) };
}
