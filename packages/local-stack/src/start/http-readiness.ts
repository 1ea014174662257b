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
    'INTERNAL',
    `the server at ${url} did not answer /healthz within ${timeoutMs / 1000}s`,
  );
}
