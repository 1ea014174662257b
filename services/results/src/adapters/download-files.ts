import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type AwsClients, classifyAwsError, getObject, isMissingObject } from '@photo-pipeline/shared/aws';
import { type AppError, PermanentError, toAppError } from '@photo-pipeline/shared/errors';
import pLimit from 'p-limit';
import type { ImageFile } from '../core/fetch/file-names.ts';

/** What became of one file: downloaded, already there with the same bytes, or failed (and why). */
export type DownloadOutcome =
  | { readonly file: ImageFile; readonly path: string; readonly result: 'written' | 'unchanged' }
  | { readonly file: ImageFile; readonly path: string; readonly result: 'failed'; readonly error: AppError };

export interface DownloadOptions {
  /** Files downloaded at once. */
  readonly concurrency: number;
  /** Bytes received (or found already on disk), as they come. */
  readonly onBytes?: (bytes: number) => void;
  readonly onFileDone?: (outcome: DownloadOutcome) => void;
}

export const downloadDefaults = { concurrency: 4 } as const;

/**
 * Downloads each object into `folder` under its file name, streaming (never whole in memory) through a
 * SHA-256 that must match the row, via a `.part` file renamed at the end, so an interrupted run leaves
 * no half file under the final name. A file already there with the row's size and SHA-256 is kept. One
 * failed file does not stop the others; a folder that cannot be made stops everything.
 */
export async function downloadFiles(
  clients: AwsClients,
  files: readonly ImageFile[],
  folder: string,
  options: DownloadOptions,
): Promise<DownloadOutcome[]> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (cause) {
    throw new PermanentError('LOCAL_WRITE_FAILED', `cannot make the folder ${folder}: ${messageOf(cause)}`, {
      cause,
    });
  }
  const limit = pLimit(options.concurrency);
  return Promise.all(
    files.map((file) =>
      limit(async (): Promise<DownloadOutcome> => {
        const target = path.join(folder, file.fileName);
        let outcome: DownloadOutcome;
        try {
          outcome = { file, path: target, result: await downloadOne(clients, file, target, options) };
        } catch (error) {
          outcome = { file, path: target, result: 'failed', error: toAppError(error) };
        }
        options.onFileDone?.(outcome);
        return outcome;
      }),
    ),
  );
}

async function downloadOne(
  clients: AwsClients,
  file: ImageFile,
  target: string,
  options: DownloadOptions,
): Promise<'written' | 'unchanged'> {
  const { object } = file;
  if (await holdsSameBytes(target, object)) {
    options.onBytes?.(object.bytes);
    return 'unchanged';
  }
  const uri = `s3://${object.bucket}/${object.key}`;
  let body: ReadableStream;
  try {
    const reply = await getObject(clients.s3, object.bucket, object.key);
    if (!reply.Body) throw new PermanentError('OBJECT_MISSING', `${uri} has no body`);
    body = reply.Body.transformToWebStream();
  } catch (error) {
    if (isMissingObject(error)) {
      throw new PermanentError('OBJECT_MISSING', `${uri} does not exist (any more)`, { cause: error });
    }
    throw classifyAwsError(error, `downloading ${uri}`);
  }

  const part = `${target}.part`;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      Readable.fromWeb(body),
      async function* count(source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          bytes += chunk.length;
          options.onBytes?.(chunk.length);
          yield chunk;
        }
      },
      createWriteStream(part),
    );
  } catch (cause) {
    await rm(part, { force: true });
    if (isFileSystemError(cause)) {
      throw new PermanentError('LOCAL_WRITE_FAILED', `cannot write ${part}: ${messageOf(cause)}`, { cause });
    }
    throw classifyAwsError(cause, `downloading ${uri}`);
  }
  const sha256 = hash.digest('hex');
  if (bytes !== object.bytes || sha256 !== object.sha256) {
    await rm(part, { force: true });
    throw new PermanentError(
      'CHECKSUM_MISMATCH',
      `${uri}: got ${bytes} bytes with SHA-256 ${sha256}, the result row says ${object.bytes} bytes with ${object.sha256}`,
    );
  }
  await rename(part, target);
  return 'written';
}

/** True when the file exists with exactly the object's size and SHA-256. */
async function holdsSameBytes(
  target: string,
  object: { readonly bytes: number; readonly sha256: string },
): Promise<boolean> {
  const size = await stat(target).then(
    (stats) => (stats.isFile() ? stats.size : -1),
    () => -1,
  );
  if (size !== object.bytes) return false;
  const hash = createHash('sha256');
  await pipeline(createReadStream(target), hash);
  return hash.digest('hex') === object.sha256;
}

function isFileSystemError(error: unknown): boolean {
  return error instanceof Error && 'syscall' in error && 'path' in error;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
