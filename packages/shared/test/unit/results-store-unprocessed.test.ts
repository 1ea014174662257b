import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../src/aws/index.ts';
import { awsEnvSchema, loadConfig } from '../../src/config/index.ts';
import { newImageId } from '../../src/contracts/index.ts';
import { RetryableError } from '../../src/errors/index.ts';
import { createResultsStore } from '../../src/results-store/index.ts';

// No network: DynamoDB's replies are handed in, to reach the UnprocessedKeys path a local emulator never takes.
const clients = createAwsClients(
  loadConfig(awsEnvSchema, { AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }),
);
const table = 'results';

function rowFor(imageId: string) {
  const sha = 'a'.repeat(64);
  return {
    schemaVersion: 1,
    imageId,
    batchId: 'b1',
    uploadDay: '2026-01-01',
    originalName: 'x.png',
    input: {
      bucket: 'uploads',
      key: `originals/${imageId}`,
      bytes: 1,
      sha256: sha,
      contentType: 'image/png',
    },
    uploadedAt: '2026-01-01T00:00:00.000Z',
    processedAt: '2026-01-01T00:00:01.000Z',
    attempts: 1,
    timings: { totalMs: 1 },
    status: 'FAILED',
    errorCode: 'IMAGE_CORRUPT',
    errorMessage: 'broken',
  };
}

describe('results store: BatchGetItem unprocessed keys', () => {
  afterEach(() => vi.restoreAllMocks());

  it('asks again for the keys DynamoDB left unprocessed', async () => {
    const [first, second] = [newImageId(), newImageId()];
    const send = vi
      .spyOn(clients.documents, 'send')
      .mockImplementationOnce(async () => ({
        Responses: { [table]: [rowFor(first)] },
        UnprocessedKeys: { [table]: { Keys: [{ imageId: second }] } },
        $metadata: {},
      }))
      .mockImplementationOnce(async () => ({ Responses: { [table]: [rowFor(second)] }, $metadata: {} }));
    const sleeps: number[] = [];
    const store = createResultsStore(
      clients,
      { RESULTS_TABLE: table, UPLOADS_BUCKET: 'uploads' },
      { sleep: async (ms) => void sleeps.push(ms) },
    );

    const entries = await store.getImageStatuses([first, second]);

    expect(entries.map((entry) => entry.status)).toEqual(['FAILED', 'FAILED']);
    expect(send).toHaveBeenCalledTimes(2);
    const retried = send.mock.calls[1]?.[0];
    expect(retried).toBeInstanceOf(BatchGetCommand);
    expect(retried instanceof BatchGetCommand && retried.input.RequestItems?.[table]?.Keys).toEqual([
      { imageId: second },
    ]);
    expect(sleeps).toHaveLength(1);
  });

  it('gives up with DEPENDENCY_UNAVAILABLE when keys stay unprocessed', async () => {
    const id = newImageId();
    vi.spyOn(clients.documents, 'send').mockImplementation(async () => ({
      Responses: { [table]: [] },
      UnprocessedKeys: { [table]: { Keys: [{ imageId: id }] } },
      $metadata: {},
    }));
    const store = createResultsStore(
      clients,
      { RESULTS_TABLE: table, UPLOADS_BUCKET: 'uploads' },
      { unprocessedRetries: 2, sleep: async () => {} },
    );

    const failure = await store.getImageStatuses([id]).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RetryableError);
    expect(failure).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true, httpStatus: 503 });
  });
});
