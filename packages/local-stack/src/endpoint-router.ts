import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError } from '@photo-pipeline/shared/errors';

export type EmulatedService = 's3' | 'sqs' | 'dynamodb';

/** How a simulated outage looks to clients: connections reset, or AWS answering 503. */
export type OutageMode = 'reset' | 'unavailable';

export interface RouterTargets {
  readonly fauxqsUrl: URL;
  readonly dynaliteUrl: URL;
}

export interface EndpointRouter {
  readonly server: Server;
  readonly port: number;
  /** Makes one service unreachable until the returned function is called (for fault tests). */
  simulateOutage(service: EmulatedService, mode?: OutageMode): () => void;
  close(): Promise<void>;
}

/**
 * Which emulator a request is for. DynamoDB and SQS speak JSON with an X-Amz-Target header naming the
 * API; everything else (REST/XML with the bucket in the path) is S3.
 */
export function serviceOf(headers: IncomingMessage['headers']): EmulatedService {
  const target = headers['x-amz-target'];
  const value = Array.isArray(target) ? target[0] : target;
  if (value?.startsWith('DynamoDB_')) return 'dynamodb';
  if (value?.startsWith('AmazonSQS.')) return 'sqs';
  return 's3';
}

/**
 * The one public endpoint: forwards each request, streaming both ways, to the emulator that serves it.
 * Listening fails fast with STACK_PORT_IN_USE when the port is taken.
 */
export async function startEndpointRouter(
  targets: RouterTargets,
  host: string,
  port: number,
): Promise<EndpointRouter> {
  const outages = new Map<EmulatedService, OutageMode>();

  const server = createServer((req, res) => {
    const service = serviceOf(req.headers);
    const outage = outages.get(service);
    if (outage === 'reset') {
      req.socket.destroy();
      return;
    }
    if (outage === 'unavailable') {
      answerUnavailable(service, res);
      return;
    }
    forward(req, res, service === 'dynamodb' ? targets.dynaliteUrl : targets.fauxqsUrl);
  });
  server.keepAliveTimeout = 60_000;
  server.requestTimeout = 0;

  try {
    server.listen(port, host);
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new PermanentError(
        'STACK_PORT_IN_USE',
        `port ${port} on ${host} is already in use (another local stack or LocalStack?); stop it or choose another port with --port or STACK_PORT`,
        { cause: error },
      );
    }
    throw new PermanentError(
      'STACK_EMULATOR_FAILED',
      `could not listen on ${host}:${port}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }

  return {
    server,
    port: (server.address() as AddressInfo).port,
    simulateOutage(service, mode = 'reset') {
      outages.set(service, mode);
      if (mode === 'reset') server.closeIdleConnections();
      return () => {
        outages.delete(service);
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(req: IncomingMessage, res: ServerResponse, target: URL): void {
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      // The Host header is kept, so emulators build URLs (queue URLs) that point at the public endpoint.
      headers: req.headers,
    },
    (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.rawHeaders);
      reply.pipe(res);
    },
  );
  upstream.on('error', (error) => {
    if (res.headersSent) {
      res.destroy(error);
    } else {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`emulator unreachable: ${error.message}`);
    }
  });
  req.on('aborted', () => upstream.destroy());
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
}

function answerUnavailable(service: EmulatedService, res: ServerResponse): void {
  if (service === 's3') {
    res
      .writeHead(503, { 'content-type': 'application/xml' })
      .end(
        '<?xml version="1.0" encoding="UTF-8"?><Error><Code>ServiceUnavailable</Code><Message>simulated outage</Message></Error>',
      );
    return;
  }
  res
    .writeHead(503, {
      'content-type': 'application/x-amz-json-1.0',
      'x-amzn-query-error': 'ServiceUnavailable;Receiver',
    })
    .end(JSON.stringify({ __type: 'com.amazonaws#ServiceUnavailable', message: 'simulated outage' }));
}
