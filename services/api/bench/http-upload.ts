import type { Pool } from 'undici';

/** One multipart/form-data body with a single file part, built once and sent many times. */
export function multipart(image: Buffer): { contentType: string; buffer: Buffer } {
  const boundary = 'bench-boundary-7f3a';
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    buffer: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      image,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

/**
 * POSTs the body to /v1/images over the pool's keep-alive connections; resolves on 202, rejects on
 * anything else. undici's Pool rather than node:http: it costs the load generator, which shares the
 * machine's cores with the API and the emulators, about half the CPU per request.
 */
export async function postMultipart(
  pool: Pool,
  body: { contentType: string; buffer: Buffer },
): Promise<void> {
  const response = await pool.request({
    path: '/v1/images',
    method: 'POST',
    headers: { 'content-type': body.contentType, 'content-length': String(body.buffer.length) },
    body: body.buffer,
  });
  await response.body.dump();
  if (response.statusCode !== 202) throw new Error(`API answered ${response.statusCode}`);
}
