import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export interface MultipartBody {
  readonly contentType: string;
  readonly contentLength: number;
  /** A fresh stream of the whole body; the file is read as the request is written, never held. */
  stream(onFileBytes: (bytes: number) => void): Readable;
}

/** A filename as browsers quote it in Content-Disposition. */
const quoted = (value: string): string =>
  value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** multipart/form-data with a batchId field and one file part, with an exact Content-Length. */
export function multipartBody(
  file: { path: string; name: string; bytes: number },
  batchId: string,
): MultipartBody {
  const boundary = `----photo-pipeline-${randomBytes(12).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="batchId"\r\n\r\n${batchId}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(file.name)}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: head.length + file.bytes + tail.length,
    stream(onFileBytes) {
      async function* parts() {
        yield head;
        for await (const chunk of createReadStream(file.path, { highWaterMark: 256 * 1024 })) {
          const buffer = chunk as Buffer;
          onFileBytes(buffer.length);
          yield buffer;
        }
        yield tail;
      }
      return Readable.from(parts(), { objectMode: false });
    },
  };
}
