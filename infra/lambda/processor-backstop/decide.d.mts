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

export interface RunTaskInput {
  readonly cluster: string | undefined;
  readonly taskDefinition: string | undefined;
  readonly count: number;
  readonly capacityProviderStrategy: { capacityProvider: string | undefined; weight: number; base: number }[];
  readonly networkConfiguration: {
    awsvpcConfiguration: { subnets: string[]; securityGroups: string[]; assignPublicIp: 'DISABLED' };
  };
  readonly propagateTags: 'TASK_DEFINITION';
  readonly startedBy: string;
}

export function runTaskInput(env: Record<string, string | undefined>): RunTaskInput;
