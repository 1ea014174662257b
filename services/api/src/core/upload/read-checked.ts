import type { Readable } from 'node:stream';
import { PermanentError } from '@photo-pipeline/shared/errors';
import type { ImageCheck } from './image-check.ts';

export interface CheckedHead {
  /** Bytes the check has cleared, in order. */
  readonly chunks: Buffer[];
  readonly bytes: number;
  /** True when the file ended within the bound and passed: `chunks` is all of it. */
  readonly ended: boolean;
}

/**
 * Reads a file through its check until it ends, or until more than `maxBytes` have been cleared (the
 * header is then accepted), whichever comes first; the rest is left unread in the paused stream for
 * the next reader. Memory is bounded by `maxBytes` plus one chunk plus what the check holds while the
 * header is open. Rejects with the check's refusal (the stream is then destroyed, as a pipeline
 * would) or with the stream's own error.
 */
export function readChecked(stream: Readable, check: ImageCheck, maxBytes: number): Promise<CheckedHead> {
  // A stream can fail before we look at it.
  if (stream.errored) return Promise.reject(stream.errored);
  if (stream.destroyed) return Promise.reject(new Error('the file stream was closed before it was read'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const stop = () => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const refuse = (refusal: PermanentError) => {
      stop();
      reject(refusal);
      // The rest of the file is not wanted; errors the stream reports from here on are no news.
      stream.on('error', () => undefined);
      stream.destroy(refusal);
    };
    const take = (cleared: readonly Buffer[]) => {
      for (const chunk of cleared) {
        chunks.push(chunk);
        bytes += chunk.length;
      }
    };
    const onReadable = () => {
      for (let chunk: Buffer | null = stream.read(); chunk !== null; chunk = stream.read()) {
        const outcome = check.write(chunk);
        if (outcome instanceof PermanentError) return refuse(outcome);
        take(outcome);
        if (bytes > maxBytes) {
          stop();
          resolve({ chunks, bytes, ended: false });
          return;
        }
      }
    };
    const onEnd = () => {
      const outcome = check.end();
      if (outcome instanceof PermanentError) return refuse(outcome);
      take(outcome);
      stop();
      resolve({ chunks, bytes, ended: true });
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    // Destroyed without an error (and without ending): the body stopped arriving.
    const onClose = () => onError(stream.errored ?? new Error('the file stream was closed before it ended'));
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
