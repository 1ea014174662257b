import { createAwsClients } from '@photo-pipeline/shared/aws';
import { awsEnvSchema, loadConfig } from '@photo-pipeline/shared/config';
import { PermanentError } from '@photo-pipeline/shared/errors';
import {
  defaultResourceNames,
  jobsQueueDefaults,
  type ResourceNames,
} from '@photo-pipeline/shared/resources';
import { lockDataDir } from './data-dir-lock.ts';
import { type RunningEmulators, startEmulators } from './emulators.ts';
import {
  type EmulatedService,
  type EndpointRouter,
  type OutageMode,
  startEndpointRouter,
} from './endpoint-router.ts';
import { type ProvisionedResources, provisionResources, type QueueSettings } from './provision-resources.ts';

export const defaultStackPort = 4566;
/** Any credentials work with the emulators; these are the conventional LocalStack ones. */
export const localCredentials = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

export interface LocalStackOptions {
  /** 4566 by default; 0 picks a free port. */
  readonly port?: number;
  /** Loopback by default. */
  readonly host?: string;
  readonly region?: string;
  /** Folder for persistent state; undefined keeps everything in memory (for tests). */
  readonly dataDir?: string | undefined;
  readonly names?: Partial<ResourceNames>;
  readonly queue?: Partial<QueueSettings>;
}

export interface LocalStack {
  /** The one endpoint for S3, SQS and DynamoDB, e.g. http://127.0.0.1:4566. */
  readonly endpoint: string;
  readonly port: number;
  readonly region: string;
  readonly resources: ProvisionedResources;
  /** The environment a service needs to use this stack: endpoint, region, credentials, resource names. */
  serviceEnv(): Record<string, string>;
  /** Creates the resources again; idempotent. */
  provision(): Promise<ProvisionedResources>;
  /** Makes S3, SQS or DynamoDB unreachable until the returned function is called (fault tests). */
  simulateOutage(service: EmulatedService, mode?: OutageMode): () => void;
  /** Settles if an emulator stops by itself. */
  readonly died: Promise<Error>;
  stop(): Promise<void>;
}

/**
 * Starts the embedded AWS stack: fauxqs (S3, SQS) and dynalite (DynamoDB) behind one endpoint, then
 * provisions the pipeline's resources through the real SDK, as a user of the endpoint would.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const names: ResourceNames = { ...defaultResourceNames, ...options.names };
  const queue: QueueSettings = { ...jobsQueueDefaults, ...options.queue };
  const unlockDataDir = options.dataDir ? lockDataDir(options.dataDir) : () => undefined;

  let emulators: RunningEmulators | undefined;
  let router: EndpointRouter | undefined;
  try {
    emulators = await startEmulators({ region, dataDir: options.dataDir });
    router = await startEndpointRouter(emulators, host, options.port ?? defaultStackPort);
  } catch (error) {
    await emulators?.stop();
    unlockDataDir();
    throw error;
  }
  const runningEmulators = emulators;
  const runningRouter = router;

  const endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${runningRouter.port}`;
  const clients = createAwsClients(
    loadConfig(awsEnvSchema, { AWS_REGION: region, AWS_ENDPOINT_URL: endpoint, S3_FORCE_PATH_STYLE: 'true' }),
    // The emulators accept any credentials; fixed ones keep the SDK from searching for a profile.
    { maxAttempts: 2, connectionTimeoutMs: 2_000, credentials: localCredentials },
  );

  const stopAll = async () => {
    clients.destroy();
    await runningRouter.close();
    await runningEmulators.stop();
    unlockDataDir();
  };

  const provision = () => provisionResources(clients, names, queue);
  let resources: ProvisionedResources;
  try {
    resources = await withTimeout(provision(), 30_000, 'provisioning the local resources');
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    endpoint,
    port: runningRouter.port,
    region,
    resources,
    serviceEnv: () => ({
      AWS_REGION: region,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
      UPLOADS_BUCKET: names.uploadsBucket,
      PROCESSED_BUCKET: names.processedBucket,
      JOBS_QUEUE_URL: resources.jobsQueueUrl,
      JOBS_QUEUE_NAME: names.jobsQueue,
      RESULTS_TABLE: names.resultsTable,
    }),
    provision,
    simulateOutage: (service, mode) => runningRouter.simulateOutage(service, mode),
    died: runningEmulators.died,
    stop: stopAll,
  };
}

async function withTimeout<T>(work: Promise<T>, ms: number, doing: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PermanentError('STACK_PROVISION_FAILED', `${doing} took longer than ${ms / 1000}s`)),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
