import type { Readable } from 'node:stream';
import type { ImageUploadedV1 } from '@photo-pipeline/shared/contracts';
import { RetryableError } from '@photo-pipeline/shared/errors';
import type { JobQueue, ObjectStore, SendOutcome } from '../../src/core/upload/upload-ports.ts';

/** An object store in memory that honours conditional writes, as real S3 does. */
export function memoryObjectStore(): ObjectStore & {
  readonly objects: Map<string, Buffer | unknown>;
  /** How each file was written: streamed (multipart on S3) or in one put with its SHA-256. */
  readonly fileWrites: Array<{ key: string; via: 'stream' | 'single put'; sha256?: string }>;
} {
  const objects = new Map<string, Buffer | unknown>();
  const fileWrites: Array<{ key: string; via: 'stream' | 'single put'; sha256?: string }> = [];
  return {
    bucket: 'memory-bucket',
    objects,
    fileWrites,
    async putStream(input) {
      const chunks: Buffer[] = [];
      for await (const chunk of input.body as Readable) chunks.push(chunk as Buffer);
      objects.set(input.key, Buffer.concat(chunks));
      fileWrites.push({ key: input.key, via: 'stream' });
    },
    async putBuffer(input) {
      objects.set(input.key, Buffer.from(input.body));
      fileWrites.push({ key: input.key, via: 'single put', sha256: input.sha256 });
    },
    async putJson(key, value, options = {}) {
      if (options.onlyIfAbsent && objects.has(key)) return 'exists';
      objects.set(key, structuredClone(value));
      return 'written';
    },
    async getJson(key) {
      return objects.has(key) ? structuredClone(objects.get(key)) : undefined;
    },
    async deleteKeys(keys) {
      for (const key of keys) objects.delete(key);
    },
    async ping() {},
  };
}

/** A queue in memory; `refuse` makes it refuse the given image ids (or everything with `true`). */
export function memoryJobQueue(): JobQueue & {
  readonly sent: ImageUploadedV1[];
  refuse: Set<string> | true | undefined;
} {
  const queue = {
    sent: [] as ImageUploadedV1[],
    refuse: undefined as Set<string> | true | undefined,
    async send(messages: readonly ImageUploadedV1[]): Promise<SendOutcome> {
      const refused = queue.refuse;
      if (refused === true) {
        return { sentImageIds: [], failure: new RetryableError('DEPENDENCY_UNAVAILABLE', 'SQS is down') };
      }
      const accepted = messages.filter((message) => !refused?.has(message.imageId));
      queue.sent.push(...accepted);
      const failure =
        accepted.length < messages.length
          ? new RetryableError(
              'DEPENDENCY_UNAVAILABLE',
              `SQS refused ${messages.length - accepted.length} messages`,
            )
          : undefined;
      return { sentImageIds: accepted.map((message) => message.imageId), ...(failure ? { failure } : {}) };
    },
    async ping() {},
  };
  return queue;
}
