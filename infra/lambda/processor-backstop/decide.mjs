// Pure decision logic of the processor backstop, apart from the handler so tests can drive it.
// Plain JavaScript: the Lambda runtime runs this folder as it is, with no build step.

/**
 * Whether to start a processor task again after one stopped.
 * @param {import('./decide.d.mts').StoppedTask} stopped
 * @param {import('./decide.d.mts').PipelineState} state
 * @param {number} minRunSeconds a task that failed faster than this is a start-up failure: not retried
 * @returns {import('./decide.d.mts').Decision}
 */
export function decideRestart(stopped, state, minRunSeconds) {
  if (state.messagesVisible + state.messagesInFlight === 0) {
    return { restart: false, reason: 'the jobs queue is empty' };
  }
  if (state.activeProcessorTasks > 0) {
    return { restart: false, reason: `${state.activeProcessorTasks} processor task(s) still active` };
  }
  const ranSeconds =
    stopped.startedAt && stopped.stoppedAt
      ? (Date.parse(stopped.stoppedAt) - Date.parse(stopped.startedAt)) / 1000
      : 0;
  if (stopped.exitCode !== 0 && ranSeconds < minRunSeconds) {
    return {
      restart: false,
      reason: `the task failed after ${Math.round(ranSeconds)}s (exit code ${stopped.exitCode ?? 'none'}): a start-up failure, not retried`,
    };
  }
  return { restart: true, reason: `${state.messagesVisible + state.messagesInFlight} message(s) remain` };
}

/**
 * Reads the stopped task out of an "ECS Task State Change" event.
 * @param {{ detail?: Record<string, unknown> }} event
 * @returns {import('./decide.d.mts').StoppedTask}
 */
export function stoppedTaskOf(event) {
  const detail = event.detail ?? {};
  const containers = Array.isArray(detail.containers) ? detail.containers : [];
  const processor = containers.find((c) => c && c.name === 'processor') ?? containers[0];
  return {
    taskArn: typeof detail.taskArn === 'string' ? detail.taskArn : undefined,
    startedAt: typeof detail.startedAt === 'string' ? detail.startedAt : undefined,
    stoppedAt: typeof detail.stoppedAt === 'string' ? detail.stoppedAt : undefined,
    exitCode: processor && typeof processor.exitCode === 'number' ? processor.exitCode : undefined,
  };
}

/**
 * The RunTask request for one processor task, from the function's environment: the capacity-provider
 * strategy (never a launch type: ECS refuses both together) and the task network of the stack.
 * @param {Record<string, string | undefined>} env
 */
export function runTaskInput(env) {
  const list = (value) => (value ?? '').split(',').filter((item) => item.length > 0);
  return {
    cluster: env.CLUSTER_ARN,
    taskDefinition: env.TASK_DEFINITION_ARN,
    count: 1,
    capacityProviderStrategy: [{ capacityProvider: env.CAPACITY_PROVIDER, weight: 1, base: 0 }],
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: list(env.SUBNET_IDS),
        securityGroups: list(env.SECURITY_GROUP_IDS),
        assignPublicIp: 'DISABLED',
      },
    },
    propagateTags: 'TASK_DEFINITION',
    startedBy: 'processor-backstop',
  };
}
