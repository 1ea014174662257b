export interface StoppedTask {
  readonly taskArn: string | undefined;
  readonly startedAt: string | undefined;
  readonly stoppedAt: string | undefined;
  readonly exitCode: number | undefined;
}

export interface PipelineState {
  readonly messagesVisible: number;
  readonly messagesInFlight: number;
  /** Processor tasks of this family that are pending or running. */
  readonly activeProcessorTasks: number;
}

export interface Decision {
  readonly restart: boolean;
  readonly reason: string;
}

export function decideRestart(stopped: StoppedTask, state: PipelineState, minRunSeconds: number): Decision;
export function stoppedTaskOf(event: { detail?: Record<string, unknown> }): StoppedTask;
