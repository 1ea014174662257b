import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultResourceNames, jobsQueueDefaults, resultsTableKeys } from '@photo-pipeline/shared/resources';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { repoRoot } from '../../src/container-images.ts';
import { argumentsOf, envOf, instructionsOf, parseDockerfile } from '../support/dockerfile.ts';
import {
  acceptsValue,
  knownVariables,
  requiredVariables,
  resourceVariables,
  type ServiceName,
} from '../support/env-contract.ts';

interface ComposeService {
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
  init?: boolean;
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

const composeDir = join(repoRoot, 'docker');
const compose = parseYaml(readFileSync(join(composeDir, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const initScript = readFileSync(join(composeDir, 'localstack', 'init-resources.sh'), 'utf8');
const scriptValue = (name: string) => initScript.match(new RegExp(`^${name}=(\\S+)$`, 'm'))?.[1];

const pipelineServices: { name: string; service: ServiceName; dockerfile: string }[] = [
  { name: 'api', service: 'api', dockerfile: 'api' },
  { name: 'processor', service: 'processor', dockerfile: 'processor' },
  { name: 'processor-gpu', service: 'processor', dockerfile: 'processor-gpu' },
  { name: 'results', service: 'results', dockerfile: 'results' },
];

describe.each(pipelineServices)('compose service $name', ({ name, service, dockerfile }) => {
  const definition = compose.services[name] ?? {};
  const environment = definition.environment ?? {};

  it('builds its Dockerfile from the repository root', () => {
    expect(definition.build).toEqual({ context: '..', dockerfile: `docker/${dockerfile}.Dockerfile` });
    expect(existsSync(join(composeDir, '..', `docker/${dockerfile}.Dockerfile`))).toBe(true);
  });

  it('sets every variable the service config requires, every resource name and the LocalStack endpoint', () => {
    const missing = [
      ...requiredVariables(service),
      ...resourceVariables,
      'AWS_REGION',
      'AWS_ENDPOINT_URL',
    ].filter((variable) => environment[variable] === undefined);
    expect(missing).toEqual([]);
    expect(environment.AWS_ENDPOINT_URL).toBe('http://localstack:4566');
    expect(environment.S3_FORCE_PATH_STYLE).toBe('true');
  });

  it('sets only variables the service knows (plus SDK credentials), with values it accepts', () => {
    const known = new Set([...knownVariables(service), 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);
    for (const [variable, value] of Object.entries(environment)) {
      expect(known.has(variable), `${variable} is not in the ${service} config`).toBe(true);
      if (knownVariables(service).includes(variable)) {
        expect(acceptsValue(service, variable, String(value)), `${variable}=${value}`).toBe(true);
      }
    }
  });

  it('uses the resource names LocalStack is provisioned with, the shared defaults', () => {
    expect(environment.UPLOADS_BUCKET).toBe(defaultResourceNames.uploadsBucket);
    expect(environment.PROCESSED_BUCKET).toBe(defaultResourceNames.processedBucket);
    expect(environment.JOBS_QUEUE_NAME).toBe(defaultResourceNames.jobsQueue);
    expect(environment.JOBS_QUEUE_URL).toMatch(new RegExp(`/${defaultResourceNames.jobsQueue}$`));
    expect(environment.RESULTS_TABLE).toBe(defaultResourceNames.resultsTable);
  });

  it('waits for provisioned LocalStack and forwards signals through an init process', () => {
    expect(definition.depends_on).toEqual({ localstack: { condition: 'service_healthy' } });
    expect(definition.init).toBe(true);
  });
});

describe('compose wiring', () => {
  it('publishes the API port the image listens on, on loopback only', () => {
    const api = compose.services.api ?? {};
    const imageEnv = envOf(parseDockerfile('api').final);
    const port = api.environment?.PORT ?? imageEnv.get('PORT');
    expect(api.environment?.HOST ?? imageEnv.get('HOST')).toBe('0.0.0.0');
    expect(api.ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(instructionsOf(parseDockerfile('api').final, 'EXPOSE').map(argumentsOf)).toEqual([port]);
    expect(compose.services.localstack?.ports).toEqual(['127.0.0.1:4566:4566']);
  });

  it('keeps the one-off results CLI and the GPU processor out of a plain `up`', () => {
    expect(compose.services.results?.profiles).toEqual(['tools']);
    expect(compose.services['processor-gpu']?.profiles).toEqual(['gpu']);
    expect(compose.services.processor?.profiles).toBeUndefined();
  });

  it('provisions LocalStack as packages/shared/src/resources defines the pipeline', () => {
    expect(compose.services.localstack?.volumes).toContain(
      './localstack/init-resources.sh:/etc/localstack/init/ready.d/init-resources.sh:ro',
    );
    expect(scriptValue('UPLOADS_BUCKET')).toBe(defaultResourceNames.uploadsBucket);
    expect(scriptValue('PROCESSED_BUCKET')).toBe(defaultResourceNames.processedBucket);
    expect(scriptValue('JOBS_QUEUE')).toBe(defaultResourceNames.jobsQueue);
    expect(scriptValue('JOBS_DLQ')).toBe(defaultResourceNames.jobsDeadLetterQueue);
    expect(scriptValue('RESULTS_TABLE')).toBe(defaultResourceNames.resultsTable);
    expect(Number(scriptValue('VISIBILITY_TIMEOUT_SECONDS'))).toBe(
      jobsQueueDefaults.visibilityTimeoutSeconds,
    );
    expect(Number(scriptValue('MAX_RECEIVE_COUNT'))).toBe(jobsQueueDefaults.maxReceiveCount);
    expect(Number(scriptValue('MESSAGE_RETENTION_SECONDS'))).toBe(jobsQueueDefaults.messageRetentionSeconds);
    expect(Number(scriptValue('DLQ_RETENTION_SECONDS'))).toBe(jobsQueueDefaults.deadLetterRetentionSeconds);
    const { partitionKey, batchIndex, uploadDayIndex } = resultsTableKeys;
    expect(initScript).toContain(`--key-schema AttributeName=${partitionKey},KeyType=HASH`);
    for (const index of [batchIndex, uploadDayIndex]) {
      expect(initScript).toContain(
        `IndexName=${index.name},KeySchema=[{AttributeName=${index.partitionKey},KeyType=HASH},{AttributeName=${index.sortKey},KeyType=RANGE}]`,
      );
    }
  });
});
