import { beforeAll, describe, expect, it } from 'vitest';
import { vpcCidr } from '../../src/constructs/network.ts';
import {
  acceptsValue,
  knownVariables,
  requiredVariables,
  resourceVariables,
  type ServiceName,
  serviceSchemas,
} from '../support/env-contract.ts';
import {
  type ContainerDefinitionJson,
  containersOf,
  type SynthesizedPipeline,
  synthPipeline,
} from '../support/synth-pipeline.ts';

let pipeline: SynthesizedPipeline;
beforeAll(() => {
  pipeline = synthPipeline();
});

const taskDefinitions: Record<ServiceName, string> = {
  api: 'ApiServiceTaskDef',
  processor: 'ProcessorGpuTask',
  results: 'ResultsTask',
};

function variablesOf(container: ContainerDefinitionJson | undefined): Map<string, unknown> {
  const variables = new Map<string, unknown>();
  for (const entry of container?.Environment ?? []) variables.set(entry.Name, entry.Value);
  for (const entry of container?.Secrets ?? []) variables.set(entry.Name, entry.ValueFrom);
  return variables;
}

describe.each(Object.keys(taskDefinitions) as ServiceName[])('the %s task definition', (service) => {
  it('sets every variable the service config requires, and every resource name', () => {
    const [container] = containersOf(pipeline.template, taskDefinitions[service]);
    const variables = variablesOf(container);
    const missing = [...requiredVariables(service), ...resourceVariables, 'AWS_REGION'].filter(
      (name) => !variables.has(name),
    );
    expect(missing).toEqual([]);
  });

  it('sets only variables the service knows, with values it accepts', () => {
    const [container] = containersOf(pipeline.template, taskDefinitions[service]);
    const known = new Set(knownVariables(service));
    for (const [name, value] of variablesOf(container)) {
      expect(known.has(name), `${name} is not in the ${service} config schema`).toBe(true);
      if (typeof value === 'string')
        expect(acceptsValue(service, name, value), `${name}=${value}`).toBe(true);
    }
  });

  it('keeps results reports in S3 only, since a task has no lasting disk', () => {
    const [container] = containersOf(pipeline.template, taskDefinitions.results);
    expect(variablesOf(container).get('REPORT_OUTPUT_DIR')).toBe('none');
  });

  it('points at the deployed resources, not the local default names', () => {
    const [container] = containersOf(pipeline.template, taskDefinitions[service]);
    const variables = variablesOf(container);
    const { storage } = pipeline.stack;
    expect(variables.get('UPLOADS_BUCKET')).toEqual(pipeline.resolve(storage.uploadsBucket.bucketName));
    expect(variables.get('PROCESSED_BUCKET')).toEqual(pipeline.resolve(storage.processedBucket.bucketName));
    expect(variables.get('JOBS_QUEUE_URL')).toEqual(pipeline.resolve(storage.jobsQueue.queueUrl));
    expect(variables.get('RESULTS_TABLE')).toEqual(pipeline.resolve(storage.resultsTable.tableName));
  });
});

describe('the api task definition behind the ALB', () => {
  it('takes the client address the ALB saw from X-Forwarded-For (TRUST_PROXY = the VPC block), as the rate limit and logs need', () => {
    const [container] = containersOf(pipeline.template, taskDefinitions.api);
    const trustProxy = variablesOf(container).get('TRUST_PROXY');
    expect(trustProxy).toBe(vpcCidr);
    expect(serviceSchemas.api.shape.TRUST_PROXY.parse(trustProxy)).toEqual([vpcCidr]);
  });
});
