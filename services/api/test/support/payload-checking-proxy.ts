import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PayloadCheckingProxy {
  readonly url: string;
  /** The headers of every request received, in order: what the client signed and sent. */
  readonly received: IncomingHttpHeaders[];
  close(): Promise<void>;
}

/**
 * Stands in front of the emulator (which checks neither) and checks each request body as S3 does: first
 * against the signed payload hash (`x-amz-content-sha256`, when it is a digest), then against
 * `x-amz-checksum-sha256`; a mismatch is refused with S3's error code and never reaches the emulator.
 * Everything else is forwarded untouched.
 */
export async function startPayloadCheckingProxy(target: string): Promise<PayloadCheckingProxy> {
  const received: IncomingHttpHeaders[] = [];
  const upstream = new URL(target);
  const server = createServer(async (req, res) => {
    received.push({ ...req.headers });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const refusal = checkPayload(req.headers, body);
    if (refusal) {
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${refusal}</Code><Message>checked by the test proxy</Message></Error>`,
      );
      return;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    forwarded.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function checkPayload(headers: IncomingHttpHeaders, body: Buffer): string | undefined {
  const digest = createHash('sha256').update(body).digest();
  const signed = headers['x-amz-content-sha256'];
  if (typeof signed === 'string' && /^[0-9a-f]{64}$/.test(signed) && signed !== digest.toString('hex')) {
    return 'XAmzContentSHA256Mismatch';
  }
  const checksum = headers['x-amz-checksum-sha256'];
  if (typeof checksum === 'string' && checksum !== digest.toString('base64')) return 'BadDigest';
  return undefined;
}
