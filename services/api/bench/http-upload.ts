import { type Agent, request } from 'node:http';

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

/** POSTs the body to /v1/images; resolves on 202, rejects on anything else. */
export function postMultipart(
  url: string,
  body: { contentType: string; buffer: Buffer },
  agent: Agent,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/images`, {
      method: 'POST',
      agent,
      headers: { 'content-type': body.contentType, 'content-length': String(body.buffer.length) },
    });
    req.on('response', (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 202 ? resolve() : reject(new Error(`API answered ${response.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end(body.buffer);
  });
}
