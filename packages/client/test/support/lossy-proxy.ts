import { once } from 'node:events';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LossyProxy {
  readonly url: string;
  /** POSTs forwarded so far. */
  readonly forwardedPosts: () => number;
  /** The most POSTs that were in progress at once (request received, reply not yet finished). */
  readonly maxConcurrentPosts: () => number;
  close(): Promise<void>;
}

/**
 * Forwards every request to `target`, but for the first `dropReplies` POSTs it lets the API finish
 * and then cuts the client's connection instead of passing the reply on: a reply lost in the network.
 */
export async function startLossyProxy(target: string, dropReplies: number): Promise<LossyProxy> {
  let posts = 0;
  let postsInProgress = 0;
  let maxPostsInProgress = 0;
  const server = createServer((req, res) => {
    const drop = req.method === 'POST' && posts < dropReplies;
    if (req.method === 'POST') {
      posts += 1;
      postsInProgress += 1;
      maxPostsInProgress = Math.max(maxPostsInProgress, postsInProgress);
      res.once('close', () => {
        postsInProgress -= 1;
      });
    }
    const upstream = request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (reply) => {
        if (drop) {
          reply.resume();
          reply.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      },
    );
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    forwardedPosts: () => posts,
    maxConcurrentPosts: () => maxPostsInProgress,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
