import { jpegBytes } from '@photo-pipeline/test-support/image-builders';
import { Pool } from 'undici';
import { multipart, postMultipart } from './http-upload.ts';
import { runLoad, runLoadMeasuringCpu } from './load-loop.ts';

/**
 * The load on an HTTP server (the API, or the peer), in its own process like the ceiling's: each request POSTs the JPEG as multipart to
 * /v1/images over keep-alive connections. Settings come as one JSON argument; the LoadResult is printed
 * as JSON.
 */
const settings = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  /** The server process (the API or the peer), whose CPU per request is reported. */
  serverPid: number;
  bytes: number;
  concurrency: number;
  durationMs: number;
  warmUpMs: number;
};
const pool = new Pool(settings.url, { connections: settings.concurrency });
const image = jpegBytes({ width: 1600, height: 1200, bytes: settings.bytes });
const body = multipart(image);
const work = () => postMultipart(pool, body);

const load = { concurrency: settings.concurrency, bytesPerRequest: image.length };
await runLoad({ ...load, durationMs: settings.warmUpMs }, work);
const result = await runLoadMeasuringCpu(
  settings.serverPid,
  { ...load, durationMs: settings.durationMs },
  work,
);
await pool.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
