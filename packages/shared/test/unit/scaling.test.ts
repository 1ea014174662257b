import { describe, expect, it } from 'vitest';
import { decideProcessorsToStart, scalingEnvSchema, scalingLimitsOf } from '../../src/scaling/index.ts';

describe('decideProcessorsToStart: clamp(ceil(visible / backlogPerTask), 0, max) minus active tasks', () => {
  it.each([
    // visible, active, max, backlogPerTask, desired, toStart
    [0, 0, 3, 100, 0, 0],
    [1, 0, 3, 100, 1, 1],
    [100, 0, 3, 100, 1, 1],
    [101, 0, 3, 100, 2, 2],
    [600, 0, 3, 200, 3, 3],
    [600, 0, 3, 100, 3, 3],
    [1_000_000, 0, 10, 100, 10, 10],
    [1_000_000, 4, 10, 100, 10, 6],
    [600, 3, 3, 100, 3, 0],
    [600, 5, 3, 100, 3, 0],
    [50, 2, 3, 100, 1, 0],
    [0, 2, 3, 100, 0, 0],
    [250, 1, 5, 100, 3, 2],
    [7, 0, 1, 1, 1, 1],
    [-1, -1, 3, 100, 0, 0],
  ])(
    '%i visible, %i active, max %i, %i per task: desires %i, starts %i',
    (visibleMessages, activeTasks, maxTasks, backlogPerTask, desiredTasks, tasksToStart) => {
      const decision = decideProcessorsToStart(
        { visibleMessages, activeTasks },
        { maxTasks, backlogPerTask },
      );

      expect(decision).toEqual({ desiredTasks, tasksToStart });
    },
  );

  it('never lets active plus started exceed the maximum', () => {
    for (let active = 0; active <= 12; active += 1) {
      for (const visible of [0, 1, 99, 100, 101, 999, 10_000]) {
        const { tasksToStart } = decideProcessorsToStart(
          { visibleMessages: visible, activeTasks: active },
          { maxTasks: 10, backlogPerTask: 100 },
        );
        expect(tasksToStart).toBeGreaterThanOrEqual(0);
        if (tasksToStart > 0) expect(active + tasksToStart).toBeLessThanOrEqual(10);
      }
    }
  });
});

describe('scaling environment', () => {
  it('reads MAX_PROCESSOR_TASKS and BACKLOG_PER_TASK, with defaults 2 and 100', () => {
    expect(scalingLimitsOf(scalingEnvSchema.parse({}))).toEqual({ maxTasks: 2, backlogPerTask: 100 });
    expect(
      scalingLimitsOf(scalingEnvSchema.parse({ MAX_PROCESSOR_TASKS: '3', BACKLOG_PER_TASK: '200' })),
    ).toEqual({ maxTasks: 3, backlogPerTask: 200 });
  });

  it('refuses a maximum of 0 and a backlog per task of 0', () => {
    expect(scalingEnvSchema.safeParse({ MAX_PROCESSOR_TASKS: '0' }).success).toBe(false);
    expect(scalingEnvSchema.safeParse({ BACKLOG_PER_TASK: '0' }).success).toBe(false);
  });
});
