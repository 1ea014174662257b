import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCliBatch } from '../support/cli-batch.ts';
import { type ResultsFixture, startResultsFixture } from '../support/results-fixture.ts';
import { runCli } from '../support/run-cli.ts';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('results CLI failures: AWS, configuration and credentials (a separate process against the embedded local stack)', () => {
  let fixture: ResultsFixture;
  let batch: readonly ResultRow[] = [];

  beforeAll(async () => {
    fixture = await startResultsFixture();
    ({ batch } = await seedCliBatch(fixture));
  });

  afterAll(async () => {
    await fixture?.stop();
  });

  const ids = () => batch.map((row) => row.imageId);

  it('exits 1 with a one-line reason when AWS cannot be reached or refuses', async () => {
    const port = await closedPort();
    const [unreachable, missingTable] = await Promise.all([
      runCli(['get', ids()[0] ?? ''], { ...fixture.env, AWS_ENDPOINT_URL: `http://127.0.0.1:${port}` }),
      runCli(['batch', 'cli-batch'], { ...fixture.env, RESULTS_TABLE: 'no-such-table' }),
    ]);

    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('error DEPENDENCY_UNAVAILABLE: reading result rows');
    expect(missingTable.code).toBe(1);
    expect(missingTable.stderr).toContain(
      'error DEPENDENCY_FAILED: listing batch cli-batch in table no-such-table',
    );
    expect(`${unreachable.stderr}${missingTable.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming the variable when the configuration is invalid', async () => {
    const run = await runCli(['list'], { ...fixture.env, REPORT_MAX_THUMBNAILS: 'lots' });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('REPORT_MAX_THUMBNAILS');
  });

  it('exits 2 with CONFIG_INVALID naming the endpoint variable that has no http(s) scheme', async () => {
    const [bare, perService] = await Promise.all([
      runCli(['list'], { ...fixture.env, AWS_ENDPOINT_URL: 'localhost:4700' }),
      runCli(['batch', 'cli-batch'], { ...fixture.env, AWS_ENDPOINT_URL_DYNAMODB: '127.0.0.1:4566' }),
    ]);

    expect([bare.code, perService.code]).toEqual([2, 2]);
    expect(bare.stderr).toContain(
      'error CONFIG_INVALID: invalid configuration:\n  AWS_ENDPOINT_URL: expected an http:// or https:// URL such as http://127.0.0.1:4566 (got "localhost:4700")',
    );
    expect(perService.stderr).toContain('AWS_ENDPOINT_URL_DYNAMODB: expected an http:// or https:// URL');
    expect(`${bare.stderr}${perService.stderr}`).not.toContain('UnknownError');
  });

  it('without AWS credentials, exits 1 with a hint naming the export line `npm start` prints', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'results-no-credentials-'));
    const { AWS_ACCESS_KEY_ID: _key, AWS_SECRET_ACCESS_KEY: _secret, ...withoutCredentials } = fixture.env;
    try {
      const run = await runCli(['batch', 'cli-batch'], {
        ...withoutCredentials,
        HOME: home,
        AWS_CONFIG_FILE: path.join(home, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
      });

      expect(run.code).toBe(1);
      expect(run.stderr).toContain('error DEPENDENCY_FAILED: listing batch cli-batch');
      expect(run.stderr).toContain('no AWS credentials found');
      expect(run.stderr).toContain(
        'export AWS_ENDPOINT_URL=http://127.0.0.1:4566 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test',
      );
      expect(run.stderr).not.toContain('CredentialsProviderError');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
