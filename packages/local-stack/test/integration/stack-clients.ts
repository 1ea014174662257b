import { type AwsClients, createAwsClients } from '@photo-pipeline/shared/aws';
import { awsEnvSchema, loadConfig } from '@photo-pipeline/shared/config';
import type { LocalStack } from '../../src/local-stack.ts';

/** Real SDK clients pointed at a running stack, as a service would make them. */
export function clientsFor(stack: LocalStack): AwsClients {
  return createAwsClients(loadConfig(awsEnvSchema, stack.serviceEnv()), {
    maxAttempts: 1,
    connectionTimeoutMs: 1_000,
  });
}
