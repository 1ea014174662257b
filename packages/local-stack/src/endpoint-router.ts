import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError } from '@photo-pipeline/shared/errors';

export type EmulatedService = 's3' | 'sqs' | 'dynamodb';

/** How a simulated outage looks to clients: connections reset, or AWS answering 503. */
export type OutageMode = 'reset' | 'unavailable';

/** The emulators' HTTP servers; a request is handed to one in-process, with no second connection. */
export interface RouterTargets {
  readonly fauxqs: Server;
  readonly dynalite: Server;
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
 * The one public endpoint: hands each request to the emulator that serves it, in this process (the
 * emulator's own server answers it on this connection), so a body crosses loopback once, not twice.
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
    (service === 'dynamodb' ? targets.dynalite : targets.fauxqs).emit('request', req, res);
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
