import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { apiConfigSchema } from '../../src/config/api-config.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { defaultProcessorConcurrency, processorConfigSchema } from '../../src/config/processor-config.ts';
import { resultsConfigSchema } from '../../src/config/results-config.ts';
import { PermanentError } from '../../src/errors/app-error.ts';

function configFailure(run: () => unknown): PermanentError {
  try {
    run();
  } catch (error) {
    if (error instanceof PermanentError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig(apiConfigSchema, {});
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.AWS_REGION).toBe('us-east-1');
    expect(config.UPLOADS_BUCKET).toBe('photo-pipeline-uploads');
    expect(config.API_KEYS).toEqual([]);
  });

  it('gives the API and the processor the same pixel limit, so an accepted upload is never refused for size later', () => {
    const api = loadConfig(apiConfigSchema, {});
    const processor = loadConfig(processorConfigSchema, {});
    expect(api.MAX_IMAGE_PIXELS).toBe(50_000_000);
    expect(processor.MAX_IMAGE_PIXELS).toBe(api.MAX_IMAGE_PIXELS);
  });

  it('keeps one image more than the cores in flight by default, at most 32', () => {
    expect(loadConfig(processorConfigSchema, {}).CONCURRENCY).toBe(availableParallelism() + 1);
    expect(loadConfig(processorConfigSchema, { CONCURRENCY: '3' }).CONCURRENCY).toBe(3);
    expect(defaultProcessorConcurrency(1)).toBe(2);
    expect(defaultProcessorConcurrency(64)).toBe(32);
  });

  it('reads API_WORKERS as a process count, auto as one per available core, 1 when unset', () => {
    const workers = (value?: string) =>
      loadConfig(apiConfigSchema, value === undefined ? {} : { API_WORKERS: value }).API_WORKERS;
    expect(workers()).toBe(1);
    expect(workers('4')).toBe(4);
    expect(workers('auto')).toBe(availableParallelism());
    expect(configFailure(() => workers('0')).message).toContain('API_WORKERS');
    expect(configFailure(() => workers('many')).message).toContain('API_WORKERS');
  });

  it("reads TRUST_PROXY as off, every hop, or the proxies' addresses and CIDR blocks", () => {
    const trustProxy = (value: string) => loadConfig(apiConfigSchema, { TRUST_PROXY: value }).TRUST_PROXY;
    expect(loadConfig(apiConfigSchema, {}).TRUST_PROXY).toBe(false);
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('0')).toBe(false);
    expect(trustProxy('true')).toBe(true);
    expect(trustProxy('10.0.0.0/16')).toEqual(['10.0.0.0/16']);
    expect(trustProxy('10.0.0.0/16, 192.168.1.7,fd00::/8')).toEqual([
      '10.0.0.0/16',
      '192.168.1.7',
      'fd00::/8',
    ]);
    for (const bad of ['alb', '10.0.0.0/33', '2', '10.0.0/16']) {
      const error = configFailure(() => trustProxy(bad));
      expect(error.message).toContain('TRUST_PROXY');
      expect(error.message).toContain('CIDR blocks');
    }
  });

  it('returns a frozen object', () => {
    const config = loadConfig(apiConfigSchema, { API_KEYS: 'a,b' });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.API_KEYS)).toBe(true);
    expect(config.API_KEYS).toEqual(['a', 'b']);
  });

  it('refuses a non-numeric PORT, naming the variable, what it expects and what it got', () => {
    const error = configFailure(() => loadConfig(apiConfigSchema, { PORT: 'eighty' }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('whole number');
    expect(error.message).toContain('"eighty"');
  });

  it('refuses an endpoint that is not a URL, naming AWS_ENDPOINT_URL_S3', () => {
    const error = configFailure(() => loadConfig(apiConfigSchema, { AWS_ENDPOINT_URL_S3: 'localhost' }));
    expect(error.message).toContain('AWS_ENDPOINT_URL_S3');
  });

  it.each([
    ['api', apiConfigSchema],
    ['processor', processorConfigSchema],
    ['results', resultsConfigSchema],
  ])(
    'the %s refuses every endpoint variable that is not an http(s) URL, such as localhost:4700 without a scheme',
    (_name, schema) => {
      const variables = [
        'AWS_ENDPOINT_URL',
        'AWS_ENDPOINT_URL_S3',
        'AWS_ENDPOINT_URL_SQS',
        'AWS_ENDPOINT_URL_DYNAMODB',
      ] as const;
      for (const variable of variables) {
        for (const bad of ['localhost:4700', 'ftp://127.0.0.1:4566', '127.0.0.1:4566']) {
          const error = configFailure(() => loadConfig(schema, { [variable]: bad }));
          expect(error.code).toBe('CONFIG_INVALID');
          expect(error.exitCode).toBe(2);
          expect(error.message).toContain(`${variable}: expected an http:// or https:// URL`);
        }
        expect(loadConfig(schema, { [variable]: 'http://localhost:4700' })[variable]).toBe(
          'http://localhost:4700',
        );
        expect(loadConfig(schema, { [variable]: 'https://s3.eu-west-1.amazonaws.com' })[variable]).toBe(
          'https://s3.eu-west-1.amazonaws.com',
        );
      }
    },
  );

  it('refuses an unknown execution provider, listing the allowed ones', () => {
    const error = configFailure(() => loadConfig(processorConfigSchema, { EXECUTION_PROVIDER: 'tpu' }));
    expect(error.message).toContain('EXECUTION_PROVIDER');
    expect(error.message).toContain('auto, cuda or cpu');
  });

  it('reports every invalid variable at once', () => {
    const error = configFailure(() =>
      loadConfig(apiConfigSchema, { PORT: '-1', S3_FORCE_PATH_STYLE: 'maybe' }),
    );
    expect(error.details?.variables).toEqual(expect.arrayContaining(['PORT', 'S3_FORCE_PATH_STYLE']));
  });
});
