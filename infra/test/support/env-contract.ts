import {
  apiConfigSchema,
  processorConfigSchema,
  resourceEnvShape,
  resultsConfigSchema,
} from '@photo-pipeline/shared/config';
import type { z } from 'zod';

export type ServiceName = 'api' | 'processor' | 'results';

/** Each service's environment schema, as the services themselves parse it at start. */
export const serviceSchemas = {
  api: apiConfigSchema,
  processor: processorConfigSchema,
  results: resultsConfigSchema,
} satisfies Record<ServiceName, z.ZodObject>;

/** Variables the schema cannot do without: neither optional nor defaulted. */
export function requiredVariables(service: ServiceName): string[] {
  const shape: Record<string, z.ZodType> = serviceSchemas[service].shape;
  return Object.entries(shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([name]) => name);
}

/** Every variable the schema knows. */
export function knownVariables(service: ServiceName): string[] {
  return Object.keys(serviceSchemas[service].shape);
}

/** Whether a literal value is one the service accepts for that variable. */
export function acceptsValue(service: ServiceName, name: string, value: string): boolean {
  const shape: Record<string, z.ZodType> = serviceSchemas[service].shape;
  return shape[name]?.safeParse(value).success ?? false;
}

/**
 * Resource names have defaults that only fit the local stack (the emulators' fixed names); anywhere else
 * (AWS, LocalStack via compose) they must be set explicitly.
 */
export const resourceVariables = Object.keys(resourceEnvShape).filter((name) => name !== 'JOBS_QUEUE_NAME');
