import { Readable } from 'node:stream';
import { apiConfigSchema, loadConfig } from '@photo-pipeline/shared/config';
import { gifBytes } from '@photo-pipeline/test-support/image-builders';
import { describe, expect, it } from 'vitest';
import type { IncomingPart } from '../../src/core/upload/incoming-part.ts';
import {
  queueUpload,
  storeAndQueue,
  storeUpload,
  type UploadDeps,
} from '../../src/core/upload/store-and-queue.ts';
import { uploadLimitsFrom } from '../../src/core/upload/upload-limits.ts';
import { memoryJobQueue, memoryObjectStore } from '../support/memory-ports.ts';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const config = loadConfig(apiConfigSchema, {
  UPLOADS_BUCKET: 'uploads',
  PROCESSED_BUCKET: 'processed',
  RESULTS_TABLE: 'results',
  JOBS_QUEUE_NAME: 'jobs',
  AWS_REGION: 'us-east-1',
});

function ports() {
  const store = memoryObjectStore();
  const queue = memoryJobQueue();
  const deps: UploadDeps = { store, queue, limits: uploadLimitsFrom(config), now: () => new Date() };
  return { store, queue, deps };
}

async function* twoGifs(): AsyncGenerator<IncomingPart> {
  for (const filename of ['a.gif', 'b.gif']) {
    yield { kind: 'file', fieldName: 'file', filename, stream: Readable.from([gifBytes()]) };
  }
}

/** SQS takes the first message of a batch and refuses the others. */
function takeOnlyTheFirst(queue: ReturnType<typeof memoryJobQueue>): void {
  const send = queue.send.bind(queue);
  queue.send = async (messages) => {
    queue.refuse = new Set(messages.slice(1).map((message) => message.imageId));
    return send(messages);
  };
}

describe('the store-and-queue use case', () => {
  it('stores the files and queues their messages, writing nothing else (no idempotency marker)', async () => {
    // Prepare
    const { store, queue, deps } = ports();

    // Act
    const reply = await storeAndQueue(deps, { parts: twoGifs(), log: quiet });

    // Assess
    expect([...store.objects.keys()].sort()).toEqual(reply.images.map((image) => image.key).sort());
    expect(queue.sent.map((message) => message.imageId)).toEqual(reply.images.map((image) => image.imageId));
  });

  it('deletes the files SQS did not take, then calls `abandoned`, when `keepPartlyQueued` declines', async () => {
    // Prepare
    const { store, queue, deps } = ports();
    takeOnlyTheFirst(queue);
    const staged = await storeUpload(deps, { parts: twoGifs(), log: quiet });
    const seenWhenAbandoned: string[][] = [];

    // Act
    const error = await queueUpload(deps, quiet, staged, {
      keepPartlyQueued: async () => false,
      abandoned: async () => {
        seenWhenAbandoned.push([...store.objects.keys()]);
      },
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(seenWhenAbandoned).toEqual([[staged.reply.images[0]?.key]]);
  });

  it('keeps every stored file and does not call `abandoned` when `keepPartlyQueued` keeps them', async () => {
    // Prepare
    const { store, queue, deps } = ports();
    takeOnlyTheFirst(queue);
    const staged = await storeUpload(deps, { parts: twoGifs(), log: quiet });
    let abandoned = false;

    // Act
    const error = await queueUpload(deps, quiet, staged, {
      keepPartlyQueued: async () => true,
      abandoned: async () => {
        abandoned = true;
      },
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      details: { queuedImageIds: [staged.reply.images[0]?.imageId] },
    });
    expect(store.objects.size).toBe(2);
    expect(abandoned).toBe(false);
  });
});
