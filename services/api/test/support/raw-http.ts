import { connect, type Socket } from 'node:net';

export interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A client that writes the whole request (`parts` in order, each written once the kernel took the one
 * before) and only then reads the reply, as naive clients do: it sees a reply only if the server let
 * it finish sending. Resolves with the first reply (complete by its content-length), or rejects with
 * the socket's error (EPIPE, ECONNRESET) or when the server closes without a reply.
 */
export function writeThenRead(
  url: string,
  parts: readonly (string | Uint8Array)[],
  options: { localAddress?: string; halfClose?: boolean } = {},
): Promise<RawReply> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: hostname,
      port: Number(port),
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    socket.on('error', reject);
    socket.pause();
    socket.once('connect', async () => {
      try {
        for (const part of parts) await write(socket, part);
        if (options.halfClose) socket.end();
      } catch (error) {
        reject(error);
        return;
      }
      readReply(socket).then(resolve, reject);
    });
  });
}

/** Reads one HTTP reply from `socket` (which may already hold bytes), then destroys the socket. */
export function readReply(socket: Socket): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const finish = (reply: RawReply) => {
      socket.destroy();
      resolve(reply);
    };
    const tryParse = (): RawReply | undefined => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? Number.NaN);
      const body = received.subarray(end + 4);
      if (Number.isNaN(length) || body.length < length) return undefined;
      return {
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: body.subarray(0, length).toString('utf8'),
      };
    };
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const reply = tryParse();
      if (reply) finish(reply);
    });
    socket.on('end', () => {
      const reply = tryParse();
      if (reply) finish(reply);
      else reject(new Error(`the server closed the connection without a reply (${received.length} bytes)`));
    });
    socket.on('error', reject);
    socket.resume();
  });
}

function write(socket: Socket, data: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.write(data, (error) => (error ? reject(error) : resolve()));
  });
}

/** A multipart/form-data body with one file part, as a request head and body for writeThenRead. */
export function multipartRequest(
  url: string,
  file: { name: string; bytes: Uint8Array },
  headers: Record<string, string> = {},
): [head: string, partHead: Buffer, file: Uint8Array, tail: Buffer] {
  const boundary = 'raw-http-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { host } = new URL(url);
  const requestHead = [
    'POST /v1/images HTTP/1.1',
    `Host: ${host}`,
    `Content-Type: multipart/form-data; boundary=${boundary}`,
    `Content-Length: ${head.length + file.bytes.length + tail.length}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  return [requestHead, head, file.bytes, tail];
}

export interface SlowSender {
  /** Settles when the server ends the connection: with the reply's status if one came, and when. */
  readonly ended: Promise<{ readonly status?: number; readonly afterMs: number }>;
  stop(): void;
}

/**
 * A slow client: it opens an upload of a 1 MB file, sends its bytes one every `tickMs` for
 * `trickleForMs`, then sends nothing more while keeping the connection open.
 */
export function slowSender(
  url: string,
  options: { localAddress?: string; tickMs: number; trickleForMs: number },
): SlowSender {
  const started = Date.now();
  const [head, partHead, file] = multipartRequest(url, {
    name: 'slow.jpg',
    bytes: new Uint8Array(1_000_000).fill(0xff),
  });
  const { hostname, port } = new URL(url);
  const socket = connect({
    host: hostname,
    port: Number(port),
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  let received = '';
  socket.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
  });
  socket.on('error', () => undefined);
  socket.once('connect', () => {
    socket.write(head);
    socket.write(partHead);
    let sent = 0;
    timer = setInterval(() => {
      if (Date.now() - started > options.trickleForMs || socket.destroyed) {
        clearInterval(timer);
        return;
      }
      socket.write(file.subarray(sent, sent + 1));
      sent += 1;
    }, options.tickMs);
  });
  const ended = new Promise<{ status?: number; afterMs: number }>((resolve) => {
    socket.once('close', () => {
      clearInterval(timer);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(received)?.[1];
      resolve({ ...(status ? { status: Number(status) } : {}), afterMs: Date.now() - started });
    });
  });
  return {
    ended,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}
