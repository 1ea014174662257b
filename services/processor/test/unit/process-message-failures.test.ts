import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { newImageId, objectKeys, type ResultRow } from '@photo-pipeline/shared/contracts';
import { PermanentError, RetryableError } from '@photo-pipeline/shared/errors';
import { createLogger } from '@photo-pipeline/shared/log';
import { parseResultRow } from '@photo-pipeline/shared/results-store';
import { createMemoryMetrics } from '@photo-pipeline/test-support/metrics';
import { describe, expect, it } from 'vitest';
import { type ProcessMessageDeps, processMessage } from '../../src/core/jobs/process-message.ts';
import type { PutOutcome } from '../../src/core/processor-ports.ts';
import { testImages } from '../support/test-images.ts';

const uploads = 'uploads-bucket';

/** A message for `bytes`, as the API would send it. */
function messageFor(bytes: Buffer) {
  const imageId = newImageId();
  const body = {
    type: 'ImageUploaded',
    version: 1,
    imageId,
    batchId: 'unit',
    bucket: uploads,
    key: objectKeys.original(imageId),
    contentType: 'image/jpeg',
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    originalName: 'photo.jpg',
    uploadedAt: new Date().toISOString(),
  };
  return { imageId, message: { messageId: 'm-1', body: JSON.stringify(body), receiveCount: 1 } };
}

/**
 * Deps with in-memory stores. `putOnce` validates the row as the DynamoDB repository does, then answers
 * from the given script, one entry per call.
 */
function depsWith(bytes: Buffer, putScript: Array<Error | PutOutcome>, model: ProcessMessageDeps['model']) {
  const logs: Record<string, unknown>[] = [];
  const written: ResultRow[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const deps: ProcessMessageDeps = {
    objects: { get: async () => bytes, put: async () => {} },
    results: {
      exists: async () => false,
      async putOnce(row) {
        parseResultRow(row);
        const next = putScript.shift() ?? 'written';
        if (next instanceof Error) throw next;
        written.push(row);
        return next;
      },
    },
    model,
    buckets: { uploads, processed: 'processed-bucket' },
    image: { maxPixels: 1_000_000, jpegQuality: 90 },
    logger: createLogger({ service: 'processor', level: 'info', destination }),
    metrics: createMemoryMetrics(),
  };
  return { deps, logs, written };
}

const invertingModel: ProcessMessageDeps['model'] = {
  name: 'fake',
  version: 'v',
  digest: '0123456789ab',
  executionProvider: 'cpu',
  run: async (rgb, width, height) => ({
    inverted: Buffer.from(rgb),
    foregroundPx: Math.floor((width * height) / 2),
    release() {},
  }),
};

describe('processMessage when the row cannot be written', () => {
  it('logs a transient DynamoDB failure of the row write with its code and hands the message back', async () => {
    // Prepare
    const bytes = await testImages.jpeg();
    const { imageId, message } = messageFor(bytes);
    const outage = new RetryableError('DEPENDENCY_UNAVAILABLE', 'writing the result row: 503');
    const { deps, logs, written } = depsWith(bytes, [outage], invertingModel);

    // Act
    const attempt = processMessage(deps, message);

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
    expect(written).toEqual([]);
    expect(
      logs.find((line) => line.msg === 'transient failure; the message goes back to the queue'),
    ).toMatchObject({ level: 'warn', errorCode: 'DEPENDENCY_UNAVAILABLE', imageId, messageId: 'm-1' });
  });

  it('logs a permanent write failure at error level before the message goes back', async () => {
    const bytes = await testImages.jpeg();
    const { message } = messageFor(bytes);
    const refused = new PermanentError(
      'DEPENDENCY_FAILED',
      'writing the result row: ResourceNotFoundException',
    );
    const { deps, logs } = depsWith(bytes, [refused], invertingModel);

    await expect(processMessage(deps, message)).rejects.toMatchObject({ code: 'DEPENDENCY_FAILED' });

    expect(logs.find((line) => line.errorCode === 'DEPENDENCY_FAILED')).toMatchObject({ level: 'error' });
  });

  it('writes a FAILED row with RESULT_ROW_INVALID when the SUCCEEDED row breaks the contract', async () => {
    // Prepare: a model that counts more foreground pixels than the image has.
    const bytes = await testImages.jpeg();
    const { imageId, message } = messageFor(bytes);
    const overCounting: ProcessMessageDeps['model'] = {
      ...invertingModel,
      run: async (rgb, width, height) => ({
        inverted: Buffer.from(rgb),
        foregroundPx: width * height * 2,
        release() {},
      }),
    };
    const { deps, logs, written } = depsWith(bytes, [], overCounting);

    // Act
    const outcome = await processMessage(deps, message);

    // Assess
    expect(outcome).toEqual({ kind: 'failed', imageId, errorCode: 'RESULT_ROW_INVALID' });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ status: 'FAILED', errorCode: 'RESULT_ROW_INVALID' });
    expect(logs.find((line) => line.msg === 'the result row breaks its contract')).toMatchObject({
      level: 'error',
    });
  });
});
