import type { AddressInfo } from 'node:net';
import { apiConfigSchema, loadConfig } from '@photo-pipeline/shared/config';
import { imageStatusSchema } from '@photo-pipeline/shared/contracts';
import { createLogger } from '@photo-pipeline/shared/log';
import type { ImageStatusEntry } from '@photo-pipeline/shared/results-store';
import { createMemoryMetrics } from '@photo-pipeline/test-support/metrics';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/entry/app.ts';
import { memoryJobQueue, memoryObjectStore } from '../support/memory-ports.ts';

const imageId = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** The API on a loopback port over memory ports, with a status reader that answers `entry` for every id. */
async function startApi(entry: (id: string) => unknown): Promise<string> {
  const config = loadConfig(apiConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    UPLOADS_BUCKET: 'uploads',
    PROCESSED_BUCKET: 'processed',
    JOBS_QUEUE_NAME: 'jobs',
    RESULTS_TABLE: 'results',
    AWS_REGION: 'us-east-1',
  });
  app = await buildApp({
    config,
    logger: createLogger({ service: 'api', level: 'silent' }),
    store: memoryObjectStore(),
    queue: memoryJobQueue(),
    metrics: createMemoryMetrics(),
    statusReader: {
      // A reader that breaks its contract: the reply schema, not the reader's type, is what is checked.
      getImageStatuses: async (ids) => ids.map((id) => entry(id) as ImageStatusEntry),
    },
    landing: { latestBatches: async () => [], latestReport: async () => undefined },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

describe('route schemas (the shared zod contracts)', () => {
  it('documents the status routes with the shared image status enum', async () => {
    // Prepare
    const url = await startApi((id) => ({ imageId: id, status: 'PENDING' }));

    // Act
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as {
      paths: Record<string, { get: { responses: Record<string, unknown> } }>;
    };

    // Assess
    const reply = document.paths['/v1/images/{imageId}']?.get.responses['200'] as {
      content: { 'application/json': { schema: { properties: { status: { enum: string[] } } } } };
    };
    expect(reply.content['application/json'].schema.properties.status.enum).toEqual(
      imageStatusSchema.options,
    );
  });

  it('never sends a status reply that breaks the contract: 500 INTERNAL in the documented error shape', async () => {
    // Prepare
    const url = await startApi((id) => ({ imageId: id, status: 'LOST' }));

    // Act
    const reply = await fetch(`${url}/v1/images/${imageId}`);

    // Assess
    expect(reply.status).toBe(500);
    const body = (await reply.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.requestId).toBe(reply.headers.get('x-request-id'));
  });
});
