import { describe, expect, it } from 'vitest';
import { parseInfraConfig } from '../../src/infra-config.ts';

const defaults = { region: 'us-east-1' };

describe('CDK context settings', () => {
  it('defaults to a GPU processor behind one NAT gateway, images built from the Dockerfiles', () => {
    const config = parseInfraConfig({}, defaults);
    expect(config).toMatchObject({
      region: 'us-east-1',
      stackName: 'PhotoPipeline',
      processorCompute: 'gpu',
      egress: 'nat',
      objectExpiryDays: 30,
      removalPolicy: 'retain',
    });
    expect(config.imageTag).toBeUndefined();
    expect(config.certificateArn).toBeUndefined();
  });

  it('reads -c strings into typed settings', () => {
    const config = parseInfraConfig(
      { processorCompute: 'cpu', objectExpiryDays: '0', apiMaxTasks: '8', region: 'eu-west-1' },
      defaults,
    );
    expect(config).toMatchObject({
      processorCompute: 'cpu',
      objectExpiryDays: 0,
      apiMaxTasks: 8,
      region: 'eu-west-1',
    });
  });

  it('refuses a bad value naming the context key', () => {
    expect(() => parseInfraConfig({ processorCompute: 'tpu' }, defaults)).toThrow(
      /-c processorCompute: expected gpu or cpu/,
    );
    expect(() => parseInfraConfig({ apiMinTasks: '5', apiMaxTasks: '2' }, defaults)).toThrow(/apiMaxTasks/);
    expect(() => parseInfraConfig({}, { region: 'mars' })).toThrow(/-c region/);
  });
});
