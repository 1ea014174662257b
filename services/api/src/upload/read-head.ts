import type { Readable } from 'node:stream';

export interface StreamHead {
  /** What was read, in order. */
  readonly chunks: Buffer[];
  readonly bytes: number;
  /** True when the stream ended within the bound: `chunks` is the whole stream. */
  readonly ended: boolean;
}

/**
 * Reads a stream until it ends or more than `maxBytes` have been read, whichever comes first, and
 * leaves the rest unread (the stream paused, ready for another reader). Memory is bounded by
 * `maxBytes` plus one chunk. Rejects with the stream's error.
 */
export function readHead(stream: Readable, maxBytes: number): Promise<StreamHead> {
  // A stream can fail before we look at it (a whole small body over a limit arrives in one go).
  if (stream.errored) return Promise.reject(stream.errored);
  if (stream.destroyed) return Promise.reject(new Error('the stream was closed before it was read'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const settle = (ended: boolean, error?: Error) => {
      stream.off('readable', onReadable);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
      if (error) reject(error);
      else resolve({ chunks, bytes, ended });
    };
    const onReadable = () => {
      for (let chunk: Buffer | null = stream.read(); chunk !== null; chunk = stream.read()) {
        chunks.push(chunk);
        bytes += chunk.length;
        if (bytes > maxBytes) {
          settle(false);
          return;
        }
      }
    };
    const onEnd = () => settle(true);
    const onError = (error: Error) => settle(false, error);
    // Destroyed without an error (and without ending): the body stopped arriving.
    const onClose = () => settle(false, stream.errored ?? new Error('the stream was closed before it ended'));
    stream.on('readable', onReadable);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}
