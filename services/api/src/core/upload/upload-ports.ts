import type { Readable } from 'node:stream';
import type { ImageUploadedV1 } from '@photo-pipeline/shared/contracts';
import type { AppError } from '@photo-pipeline/shared/errors';

// What the upload use case needs of the outside world; src/adapters implements it on S3 and SQS.

export interface PutStreamInput {
  readonly key: string;
  readonly body: Readable;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
}

export interface PutBufferInput {
  readonly key: string;
  readonly body: Buffer;
  /** SHA-256 of `body`, hex: sent as the object's checksum, which S3 verifies before storing. */
  readonly sha256: string;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
}

/** The S3 operations the upload path needs, on one bucket. */
export interface ObjectStore {
  readonly bucket: string;
  /** Streams a body to `key` (multipart for large bodies); a failed stream leaves no object or parts. */
  putStream(input: PutStreamInput): Promise<void>;
  /** Writes a body already in memory with one PutObject, with its SHA-256 as the checksum. */
  putBuffer(input: PutBufferInput): Promise<void>;
  /** Small JSON object; with `onlyIfAbsent` it is a conditional write (If-None-Match: *). */
  putJson(key: string, value: unknown, options?: { onlyIfAbsent?: boolean }): Promise<'written' | 'exists'>;
  getJson(key: string): Promise<unknown>;
  deleteKeys(keys: readonly string[]): Promise<void>;
  ping(): Promise<void>;
}

export interface SendOutcome {
  /** Image ids whose messages SQS accepted. */
  readonly sentImageIds: readonly string[];
  /** Set when some messages were not sent; `sentImageIds` then says which ones were. */
  readonly failure?: AppError;
}

export interface JobQueue {
  /** Sends one ImageUploaded message per image: SendMessage for one, else batches of ten. */
  send(messages: readonly ImageUploadedV1[]): Promise<SendOutcome>;
  ping(): Promise<void>;
}
