import { request } from 'node:http';
import { jpegBytes } from '@photo-pipeline/test-support/image-builders';

export interface RawUpload {
  /** Resolves with the status and body, or rejects when the connection fails. */
  readonly reply: Promise<{ status: number; body: string }>;
  /** Bytes of the file written so far. */
  sent(): number;
  /** Drops the connection without finishing the body (a client that goes away). */
  abort(): void;
}

/**
 * A multipart upload of one JPEG of `fileBytes`, written from a generator in 64 KiB chunks (never held
 * in memory whole), optionally paced, optionally stopped after `stopAfterBytes` (the connection stays
 * open until abort()).
 */
export function rawUpload(
  url: string,
  options: {
    fileBytes: number;
    stopAfterBytes?: number;
    chunkDelayMs?: number;
    headers?: Record<string, string>;
  },
): RawUpload {
  const boundary = 'raw-upload-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const header = jpegBytes({ bytes: 4096 });
  const chunk = Buffer.alloc(64 * 1024, 0x5a);
  let sent = 0;
  const req = request(`${url}/v1/images`, {
    method: 'POST',
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': String(head.length + options.fileBytes + tail.length),
      ...options.headers,
    },
  });
  const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (data: Buffer) => chunks.push(data));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
      response.on('error', reject);
    });
    req.on('error', reject);
  });
  reply.catch(() => undefined);

  const limit = Math.min(options.fileBytes, options.stopAfterBytes ?? options.fileBytes);
  const write = async () => {
    req.write(head);
    // The JPEG header first (all but its end marker), then filler.
    const first = header.subarray(0, Math.min(header.length - 2, limit));
    req.write(first);
    sent = first.length;
    while (sent < limit && !req.destroyed) {
      const piece = chunk.subarray(0, Math.min(chunk.length, limit - sent));
      sent += piece.length;
      if (!req.write(piece)) await new Promise<void>((resolve) => req.once('drain', resolve));
      if (options.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, options.chunkDelayMs));
    }
    if (limit === options.fileBytes && !req.destroyed) req.end(tail);
  };
  write().catch(() => undefined);
  return { reply, sent: () => sent, abort: () => req.destroy() };
}
