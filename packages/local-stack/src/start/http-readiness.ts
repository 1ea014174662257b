import { once } from 'node:events';
import { createServer } from 'node:net';
import { PermanentError } from '@photo-pipeline/shared/errors';

/** A loopback port that was free a moment ago (the OS picks it); the caller's server binds it right after. */
export async function freeLoopbackPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Fails with API_PORT_IN_USE when something listens on host:port already. Checked before the API is
 * started: its /healthz would otherwise be answered by whatever holds the port (another `pnpm start`'s
 * API), while the new API dies with EADDRINUSE.
 */
export async function assertPortFree(host: string, port: number): Promise<void> {
  const server = createServer();
  try {
    server.listen(port, host);
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    throw new PermanentError(
      'API_PORT_IN_USE',
      `the upload API's port ${port} on ${host} is already in use (another pnpm start?); stop it or choose another port with --api-port or API_PORT`,
      { cause: error },
    );
  }
  await new Promise((resolve) => server.close(resolve));
}

/** Resolves once `${url}/healthz` answers 2xx; fails after `timeoutMs`. */
export async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const reply = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await reply.body?.cancel();
      if (reply.ok) return;
    } catch {
      // not accepting connections yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new PermanentError(
    'STACK_SERVICE_FAILED',
    `the server at ${url} did not answer /healthz within ${timeoutMs / 1000}s`,
  );
}
