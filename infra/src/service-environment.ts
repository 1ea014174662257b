import { vpcCidr } from './constructs/network.ts';

/**
 * The environment contract of each service on AWS, built from the deployed resources. The variable names
 * are those of the zod schemas in @photo-pipeline/shared/config; the tests check every variable those
 * schemas require (and every resource name, whose defaults only fit the local stack) is set here.
 */
export interface PipelineResourceRefs {
  readonly region: string;
  readonly uploadsBucket: string;
  readonly processedBucket: string;
  readonly jobsQueueUrl: string;
  readonly jobsQueueName: string;
  readonly resultsTable: string;
}

export type ContainerEnvironment = Record<string, string>;

function commonEnvironment(refs: PipelineResourceRefs): ContainerEnvironment {
  return {
    AWS_REGION: refs.region,
    LOG_LEVEL: 'info',
    UPLOADS_BUCKET: refs.uploadsBucket,
    PROCESSED_BUCKET: refs.processedBucket,
    JOBS_QUEUE_URL: refs.jobsQueueUrl,
    JOBS_QUEUE_NAME: refs.jobsQueueName,
    RESULTS_TABLE: refs.resultsTable,
  };
}

export const apiContainerPort = 3000;

/**
 * Seconds ECS waits after SIGTERM before SIGKILL (container stopTimeout; 120 is the most Fargate allows),
 * and the services' own shutdown budgets, which stay below it so their graceful stop always completes.
 */
export const stopTimeouts = {
  apiContainerSeconds: 60,
  apiShutdownMs: 50_000,
  processorContainerSeconds: 120,
  processorStopSeconds: 100,
} as const;

export function apiEnvironment(refs: PipelineResourceRefs): ContainerEnvironment {
  return {
    ...commonEnvironment(refs),
    HOST: '0.0.0.0',
    PORT: String(apiContainerPort),
    // Behind the ALB the socket peer is the load balancer, inside the VPC: believe the VPC's addresses,
    // so the client address is the one the ALB appended, not the left-most entry the client can write.
    TRUST_PROXY: vpcCidr,
    SHUTDOWN_TIMEOUT_MS: String(stopTimeouts.apiShutdownMs),
  };
}

export function processorEnvironment(
  refs: PipelineResourceRefs,
  compute: 'gpu' | 'cpu',
): ContainerEnvironment {
  // `cuda` on the GPU variant makes a missing GPU a loud start failure instead of a silent CPU run.
  return {
    ...commonEnvironment(refs),
    EXECUTION_PROVIDER: compute === 'gpu' ? 'cuda' : 'cpu',
    STOP_TIMEOUT_SECONDS: String(stopTimeouts.processorStopSeconds),
  };
}

export function resultsEnvironment(refs: PipelineResourceRefs): ContainerEnvironment {
  // A container's local copy of a report would be lost with the task: keep reports in S3 only.
  return { ...commonEnvironment(refs), REPORTS_PREFIX: 'reports/', REPORT_OUTPUT_DIR: 'none' };
}
