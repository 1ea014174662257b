import { Readable } from 'node:stream';
import { gifBytes, jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { describe, expect, it } from 'vitest';
import { acceptUpload, type UploadDeps } from '../../src/core/upload/accept-upload.ts';
import { idempotencyMarkerKey } from '../../src/core/upload/idempotency.ts';
import type { IncomingPart } from '../../src/core/upload/incoming-part.ts';
import { maxHeaderProbeBytes, singlePutMaxBytes } from '../../src/core/upload/upload-limits.ts';
import { memoryJobQueue, memoryObjectStore } from '../support/memory-ports.ts';

const silentLog = { debug() {}, info() {}, warn() {}, error() {} };

function setUp() {
  const store = memoryObjectStore();
  const queue = memoryJobQueue();
  const deps: UploadDeps = {
    store,
    queue,
    limits: {
      maxUploadBytes: 1024 * 1024,
      maxFilesPerRequest: 5,
      maxFieldsPerRequest: 5,
      maxFieldBytes: 100,
      maxImagePixels: 10_000_000,
      maxHeaderProbeBytes,
      singlePutMaxBytes,
    },
    now: () => new Date(),
  };
  return { store, queue, deps };
}

async function* parts(...files: Buffer[]): AsyncGenerator<IncomingPart> {
  yield { kind: 'field', name: 'batchId', value: 'unit-batch', truncated: false };
  for (const [index, bytes] of files.entries()) {
    yield { kind: 'file', fieldName: 'file', filename: `f${index}`, stream: Readable.from([bytes]) };
  }
}

const originals = (store: ReturnType<typeof memoryObjectStore>) =>
  [...store.objects.keys()].filter((key) => key.startsWith('originals/'));

describe('acceptUpload', () => {
  it('stores every file, then queues one message per file with the batch id', async () => {
    const { store, queue, deps } = setUp();
    const outcome = await acceptUpload(deps, {
      parts: parts(jpegBytes(), gifBytes()),
      principal: 'open',
      log: silentLog,
    });
    expect(outcome.reply.images).toHaveLength(2);
    expect(queue.sent.map((m) => [m.imageId, m.batchId])).toEqual(
      outcome.reply.images.map((i) => [i.imageId, 'unit-batch']),
    );
    expect(originals(store)).toHaveLength(2);
  });

  it('queues nothing and deletes what it stored when the client is gone by the time the files are stored', async () => {
    // Prepare
    const { store, queue, deps } = setUp();

    // Act
    const error = await acceptUpload(deps, {
      parts: parts(jpegBytes(), gifBytes()),
      principal: 'open',
      idempotencyKey: 'gone-client',
      log: silentLog,
      clientGone: () => true,
    }).catch((e: unknown) => e);

    // Assess
    expect(error).toMatchObject({ code: 'UPLOAD_ABORTED' });
    expect(queue.sent).toEqual([]);
    expect([...store.objects.keys()]).toEqual([]);
  });

  it('deletes every stored file when SQS is down, and leaves no marker', async () => {
    const { store, queue, deps } = setUp();
    queue.refuse = true;
    await expect(
      acceptUpload(deps, {
        parts: parts(jpegBytes(), gifBytes()),
        principal: 'open',
        idempotencyKey: 'k',
        log: silentLog,
      }),
    ).rejects.toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
    expect(store.objects.size).toBe(0);
  });

  it('when SQS takes part of a batch, keeps the queued files, deletes the others and names the queued ones', async () => {
    const { store, queue, deps } = setUp();
    const first = parts(jpegBytes(), gifBytes());
    // Refuse whichever image comes second: its id is only known once stored, so refuse by position.
    const send = queue.send.bind(queue);
    queue.send = async (messages) => {
      queue.refuse = new Set(messages.slice(1).map((m) => m.imageId));
      return send(messages);
    };
    const error = await acceptUpload(deps, { parts: first, principal: 'open', log: silentLog }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'DEPENDENCY_UNAVAILABLE',
      details: { queuedImageIds: [queue.sent[0]?.imageId] },
    });
    expect(originals(store)).toEqual([queue.sent[0]?.key]);
  });

  it('with an Idempotency-Key, keeps a partly queued upload and lets a retry finish it under the same image ids', async () => {
    // Prepare: SQS takes the first message of the batch and refuses the second.
    const { store, queue, deps } = setUp();
    const send = queue.send.bind(queue);
    queue.send = async (messages) => {
      queue.refuse = new Set(messages.slice(1).map((m) => m.imageId));
      return send(messages);
    };
    const request = () => ({
      parts: parts(jpegBytes(), gifBytes()),
      principal: 'open',
      idempotencyKey: 'partly',
      log: silentLog,
    });
    const error = await acceptUpload(deps, request()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', retryable: true });
    const marker = store.objects.get(idempotencyMarkerKey('open', 'partly')) as {
      state: string;
      reply: { images: { imageId: string; key: string }[] };
    };
    expect(marker.state).toBe('unsent');
    expect(originals(store).sort()).toEqual(marker.reply.images.map((image) => image.key).sort());

    // Act: SQS is healthy again and the client retries with the same key.
    queue.send = send;
    queue.refuse = undefined;
    const retry = await acceptUpload(deps, request());

    // Assess: the first reply, both images queued under their first ids, no file stored twice.
    expect(retry.replayed).toBe(true);
    expect(retry.reply).toEqual(marker.reply);
    const queuedIds = new Set(queue.sent.map((message) => message.imageId));
    expect([...queuedIds].sort()).toEqual(marker.reply.images.map((image) => image.imageId).sort());
    expect(originals(store)).toHaveLength(2);
    expect((store.objects.get(idempotencyMarkerKey('open', 'partly')) as { state: string }).state).toBe(
      'completed',
    );
  });

  it('on a lost conditional write (real S3, racing requests) deletes its own files and answers the winner reply', async () => {
    // Prepare: the winner claimed the key after this request read it but before this request claims it.
    const { store, queue, deps } = setUp();
    const winner = await acceptUpload(deps, {
      parts: parts(gifBytes()),
      principal: 'open',
      idempotencyKey: 'race',
      log: silentLog,
    });
    const markerKey = idempotencyMarkerKey('open', 'race');
    const marker = store.objects.get(markerKey);
    const getJson = store.getJson.bind(store);
    let reads = 0;
    store.getJson = async (key) => (key === markerKey && reads++ === 0 ? undefined : getJson(key));
    expect(marker).toBeDefined();

    // Act: the same request again (a client retrying while its first attempt is still running).
    const loser = await acceptUpload(deps, {
      parts: parts(gifBytes()),
      principal: 'open',
      idempotencyKey: 'race',
      log: silentLog,
    });
    // ... and a different request under the same key.
    reads = 0;
    const other = await acceptUpload(deps, {
      parts: parts(jpegBytes()),
      principal: 'open',
      idempotencyKey: 'race',
      log: silentLog,
    }).catch((e: unknown) => e);

    // Assess
    expect(loser.replayed).toBe(true);
    expect(loser.reply).toEqual(winner.reply);
    expect(other).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(queue.sent).toHaveLength(1);
    expect(originals(store)).toEqual([winner.reply.images[0]?.key]);
  });

  it('refuses a sixth file and deletes the five it had stored', async () => {
    const { store, queue, deps } = setUp();
    const six = Array.from({ length: 6 }, () => gifBytes());
    await expect(
      acceptUpload(deps, { parts: parts(...six), principal: 'open', log: silentLog }),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_FILES',
    });
    expect(store.objects.size).toBe(0);
    expect(queue.sent).toHaveLength(0);
  });
});
