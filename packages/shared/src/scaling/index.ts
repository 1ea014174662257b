import { z } from 'zod';
import { integerFromEnv } from '../config/env-types.ts';

/** What the scaler sees: the jobs queue's visible messages and the processors already running or pending. */
export interface FleetState {
  readonly visibleMessages: number;
  readonly activeTasks: number;
}

/** The two knobs, the same on AWS (the scaler Lambda) and locally (the trigger). */
export interface ScalingLimits {
  /** Processors running at once, at most. */
  readonly maxTasks: number;
  /** Visible messages one processor is expected to drain; one more processor per this many. */
  readonly backlogPerTask: number;
}

export interface ScalingDecision {
  /** clamp(ceil(visible / backlogPerTask), 0, maxTasks). */
  readonly desiredTasks: number;
  /** desiredTasks minus the active tasks, never below 0. */
  readonly tasksToStart: number;
}

/**
 * How many processors to start so that the fleet matches the backlog. Never more than maxTasks in all,
 * never stops any (processors drain and exit when idle, so the fleet returns to zero on its own).
 */
export function decideProcessorsToStart(state: FleetState, limits: ScalingLimits): ScalingDecision {
  const visible = Math.max(0, state.visibleMessages);
  const desiredTasks = Math.min(limits.maxTasks, Math.ceil(visible / limits.backlogPerTask));
  return { desiredTasks, tasksToStart: Math.max(0, desiredTasks - Math.max(0, state.activeTasks)) };
}

/** MAX_PROCESSOR_TASKS and BACKLOG_PER_TASK, for the config schemas of the scaler and the local trigger. */
export const scalingEnvShape = {
  MAX_PROCESSOR_TASKS: integerFromEnv({ min: 1, max: 1000 }).default(2),
  BACKLOG_PER_TASK: integerFromEnv({ min: 1 }).default(100),
};

export const scalingEnvSchema = z.object(scalingEnvShape);
export type ScalingEnv = z.output<typeof scalingEnvSchema>;

export const scalingLimitsOf = (env: ScalingEnv): ScalingLimits => ({
  maxTasks: env.MAX_PROCESSOR_TASKS,
  backlogPerTask: env.BACKLOG_PER_TASK,
});
