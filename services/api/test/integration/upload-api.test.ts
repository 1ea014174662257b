import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { type ApiHarness, postImages, startApiHarness } from '@photo-pipeline/test-support/api-harness';
import { bogusJpeg } from '@photo-pipeline/test-support/bogus-jpeg';
import { gifBytes, jpegBytes, pngBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawUpload } from '../support/raw-upload.ts';

const maxUploadBytes = 256 * 1024;
let api: ApiHarness;

beforeAll(async () => {
  api = await startApiHarness({
    env: { MAX_UPLOAD_BYTES: String(maxUploadBytes), MAX_FILES_PER_REQUEST: '3', MAX_FIELD_BYTES: '200' },
  });
});
afterAll(async () => {
  await api?.close();
});

interface ErrorReply {
  error: { code: string; message: string; requestId: string; retryable: boolean };
}
interface UploadReply {
  batchId: string;
  images: {
    imageId: string;
    batchId: string;
    key: string;
    contentType: string;
    bytes: number;
    sha256: string;
    width: number;
    height: number;
    originalName: string;
  }[];
}

describe('POST /v1/images', () => {
  it('stores a JPEG under a key made from its image id and queues one ImageUploaded message', async () => {
    // Prepare
    const bytes = jpegBytes({ width: 800, height: 600, bytes: 50_000 });
    const messagesBefore = await api.countMessages();
    const metricsBefore = api.metrics.recorded.length;

    // Act
    const reply = await postImages(api.url, [{ name: '../../etc/passwd.png', bytes, type: 'image/png' }]);

    // Assess
    expect(reply.status).toBe(202);
    const body = reply.body as UploadReply;
    const [image] = body.images;
    expect(image).toMatchObject({
      contentType: 'image/jpeg',
      bytes: 50_000,
      width: 800,
      height: 600,
      originalName: 'passwd.png',
    });
    expect(image?.key).toBe(`originals/${image?.imageId}`);
    expect(reply.headers.get('location')).toBe(`/v1/images/${image?.imageId}`);
    expect(reply.headers.get('x-request-id')).toBeTruthy();
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(reply.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(reply.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    const stored = await api.deps.aws.s3.send(
      new GetObjectCommand({ Bucket: api.deps.config.UPLOADS_BUCKET, Key: image?.key }),
    );
    expect(stored.ContentType).toBe('image/jpeg');
    expect(Buffer.from((await stored.Body?.transformToByteArray()) ?? []).equals(bytes)).toBe(true);
    const metrics = api.metrics.recorded.slice(metricsBefore);
    expect(metrics).toContainEqual({ name: 'UploadsAccepted', value: 1 });
    expect(metrics).toContainEqual({ name: 'UploadBytes', value: 50_000 });
    expect(metrics.find((metric) => metric.name === 'UploadLatency')?.value).toBeGreaterThan(0);
    expect(await api.countMessages()).toBe(messagesBefore + 1);
    const messages = await api.receiveMessages();
    const message = messages.find((m) => m.imageId === image?.imageId);
    expect(message).toMatchObject({
      type: 'ImageUploaded',
      version: 1,
      batchId: body.batchId,
      key: image?.key,
      contentType: 'image/jpeg',
      bytes: 50_000,
      sha256: image?.sha256,
    });
  });

  it('uploads several files of one batch in one request, in order, with the given batch id', async () => {
    const reply = await postImages(
      api.url,
      [
        { name: 'a.png', bytes: pngBytes({ width: 10, height: 20 }) },
        { name: 'b.gif', bytes: gifBytes(30, 40) },
      ],
      { fields: { batchId: 'holiday-2026' } },
    );
    expect(reply.status).toBe(202);
    const body = reply.body as UploadReply;
    expect(body.batchId).toBe('holiday-2026');
    expect(body.images.map((i) => [i.originalName, i.contentType, i.width, i.height, i.batchId])).toEqual([
      ['a.png', 'image/png', 10, 20, 'holiday-2026'],
      ['b.gif', 'image/gif', 30, 40, 'holiday-2026'],
    ]);
    expect(reply.headers.get('location')).toBeNull();
    for (const image of body.images) {
      await api.deps.aws.s3.send(
        new HeadObjectCommand({ Bucket: api.deps.config.UPLOADS_BUCKET, Key: image.key }),
      );
    }
  });

  it('accepts any file name, emoji and U+FFFF included, and queues it exactly as sent', async () => {
    const names = ['sunset \u{1F305}\u{1F600}.png', 'odd \uFFFF name.gif'];
    const reply = await postImages(api.url, [
      { name: names[0] ?? '', bytes: pngBytes({ width: 4, height: 4 }) },
      { name: names[1] ?? '', bytes: gifBytes(4, 4) },
    ]);
    expect(reply.status).toBe(202);
    const body = reply.body as UploadReply;
    expect(body.images.map((image) => image.originalName)).toEqual(names);
    const queued = new Map<string, string>();
    for (let round = 0; round < 20 && queued.size < names.length; round++) {
      for (const message of await api.receiveMessages()) {
        if (body.images.some((image) => image.imageId === message.imageId)) {
          queued.set(message.imageId, message.originalName);
        }
      }
    }
    expect(body.images.map((image) => queued.get(image.imageId))).toEqual(names);
  });

  it('uses the caller X-Request-Id in the reply and error body', async () => {
    const reply = await postImages(
      api.url,
      [{ name: 'x.txt', bytes: Buffer.from('plain text, not an image at all') }],
      {
        headers: { 'x-request-id': 'trace-123' },
      },
    );
    expect(reply.headers.get('x-request-id')).toBe('trace-123');
    expect((reply.body as ErrorReply).error.requestId).toBe('trace-123');
  });

  const heic = Buffer.concat([
    Buffer.from([0, 0, 0, 24]),
    Buffer.from('ftypheic\0\0\0\0mif1heic'),
    Buffer.alloc(100),
  ]);
  const refused: {
    name: string;
    files: { name: string; bytes: Buffer }[];
    fields?: Record<string, string>;
    status: number;
    code: string;
  }[] = [
    {
      name: 'a text file',
      files: [{ name: 'notes.jpg', bytes: Buffer.from('this is plain text pretending to be a JPEG') }],
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'a JPEG signature over text (the bytes the processor also calls IMAGE_CORRUPT)',
      files: [{ name: 'bogus.jpg', bytes: bogusJpeg }],
      status: 422,
      code: 'IMAGE_CORRUPT',
    },
    {
      name: 'an empty file',
      files: [{ name: 'empty.jpg', bytes: Buffer.alloc(0) }],
      status: 422,
      code: 'IMAGE_CORRUPT',
    },
    {
      name: 'a HEIC file (not readable by the processor build)',
      files: [{ name: 'p.heic', bytes: heic }],
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'a 100000 x 100000 PNG bomb',
      files: [{ name: 'bomb.png', bytes: pngBytes({ width: 100_000, height: 100_000 }) }],
      status: 422,
      code: 'IMAGE_TOO_MANY_PIXELS',
    },
    {
      name: 'a JPEG truncated before its frame header',
      files: [{ name: 'cut.jpg', bytes: jpegBytes().subarray(0, 12) }],
      status: 422,
      code: 'IMAGE_CORRUPT',
    },
    {
      name: 'a file one byte over the size limit',
      files: [{ name: 'big.jpg', bytes: jpegBytes({ bytes: maxUploadBytes + 1 }) }],
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    {
      name: 'more files than allowed',
      files: [1, 2, 3, 4].map((n) => ({ name: `${n}.gif`, bytes: gifBytes() })),
      status: 413,
      code: 'TOO_MANY_FILES',
    },
    {
      name: 'a good file followed by a bad one',
      files: [
        { name: 'ok.gif', bytes: gifBytes() },
        { name: 'bad.bin', bytes: Buffer.alloc(64, 7) },
      ],
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    },
    {
      name: 'an invalid batch id',
      files: [{ name: 'ok.gif', bytes: gifBytes() }],
      fields: { batchId: '../escape' },
      status: 400,
      code: 'INVALID_ARGUMENT',
    },
    {
      name: 'an over-long field',
      files: [{ name: 'ok.gif', bytes: gifBytes() }],
      fields: { batchId: 'a'.repeat(300) },
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    },
    { name: 'no file at all', files: [], fields: { batchId: 'b' }, status: 400, code: 'INVALID_ARGUMENT' },
    {
      name: 'more fields than allowed',
      files: [{ name: 'ok.gif', bytes: gifBytes() }],
      fields: Object.fromEntries(Array.from({ length: 11 }, (_, n) => [`note${n}`, 'x'])),
      status: 413,
      code: 'TOO_MANY_FILES',
    },
  ];

  for (const testCase of refused) {
    it(`refuses ${testCase.name} with ${testCase.status} ${testCase.code} and stores and queues nothing`, async () => {
      // Prepare
      const objectsBefore = await api.countOriginals();
      const messagesBefore = await api.countMessages();

      // Act
      const reply = await postImages(api.url, testCase.files, { fields: testCase.fields ?? {} });

      // Assess
      expect(reply.status).toBe(testCase.status);
      const body = reply.body as ErrorReply;
      expect(body.error.code).toBe(testCase.code);
      expect(body.error.requestId).toBe(reply.headers.get('x-request-id'));
      expect(JSON.stringify(body)).not.toMatch(/\bat .*\.ts:\d+/);
      expect(await api.countOriginals()).toBe(objectsBefore);
      expect(await api.countMessages()).toBe(messagesBefore);
    });
  }

  it('refuses a body that is not multipart with 415', async () => {
    const response = await fetch(`${api.url}/v1/images`, {
      method: 'POST',
      headers: { 'content-type': 'image/jpeg' },
      body: new Uint8Array(jpegBytes()),
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as ErrorReply).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('counts rejects by code in the metrics', async () => {
    await postImages(api.url, [{ name: 'x', bytes: Buffer.from('not an image, just some words') }]);
    expect(api.metrics.recorded).toContainEqual({
      name: 'UploadsRejected',
      value: 1,
      dimensions: { ErrorCode: 'UNSUPPORTED_MEDIA_TYPE' },
    });
    expect(api.metrics.recorded.some((m) => m.name === 'UploadsAccepted')).toBe(true);
  });
});

describe('health, readiness and docs', () => {
  it('answers /healthz and /readyz with S3 and SQS checked', async () => {
    expect(await (await fetch(`${api.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { s3: 'ok', sqs: 'ok' } });
  });

  it('serves an OpenAPI document generated from the routes, and a docs page with security headers', async () => {
    const document = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/v1/images', '/v1/images/{imageId}', '/healthz', '/readyz']),
    );
    expect(JSON.stringify(document.paths['/v1/images']?.post)).toContain('multipart/form-data');
    const page = await fetch(`${api.url}/docs/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const docsPolicy = page.headers.get('content-security-policy') ?? '';
    expect(docsPolicy).toContain("script-src 'self'");
    expect(docsPolicy).not.toContain('upgrade-insecure-requests');
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${api.url}/nope`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorReply).error.code).toBe('NOT_FOUND');
  });
});

describe('GET /v1/images/{imageId}', () => {
  it('says PENDING for an uploaded image without a result row and UNKNOWN for an id never uploaded', async () => {
    const upload = await postImages(api.url, [{ name: 'p.gif', bytes: gifBytes() }]);
    const imageId = (upload.body as UploadReply).images[0]?.imageId;
    const response = await fetch(`${api.url}/v1/images/${imageId}`);
    expect(await response.json()).toEqual({ imageId, status: 'PENDING' });
    const many = await fetch(`${api.url}/v1/images?ids=${imageId},01ARZ3NDEKTSV4RRFFQ69G5FAV`);
    expect(await many.json()).toEqual({
      images: [
        { imageId, status: 'PENDING' },
        { imageId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', status: 'UNKNOWN' },
      ],
    });
    expect((await fetch(`${api.url}/v1/images/not-an-id`)).status).toBe(400);
  });
});

describe('a file far over the size limit', () => {
  it('is refused with 413 while it is still arriving, and nothing is stored', async () => {
    const objectsBefore = await api.countOriginals();
    const upload = rawUpload(api.url, { fileBytes: 8 * 1024 * 1024 });
    const reply = await upload.reply;
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.body).error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(upload.sent()).toBeLessThan(8 * 1024 * 1024);
    expect(await api.countOriginals()).toBe(objectsBefore);
  });

  it('is refused with a readable 413 for curl as well', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'big-'));
    try {
      writeFileSync(join(folder, 'big.jpg'), jpegBytes({ bytes: 4 * 1024 * 1024 }));
      const { stdout } = await promisify(execFile)(
        'curl',
        ['-sS', '-w', '\n%{http_code}', '-F', 'file=@big.jpg', `${api.url}/v1/images`],
        {
          cwd: folder,
        },
      );
      const lines = stdout.trimEnd().split('\n');
      expect(lines.pop()).toBe('413');
      expect(JSON.parse(lines.join('\n')).error.code).toBe('PAYLOAD_TOO_LARGE');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('malformed multipart bodies', () => {
  it.each([
    ['without a boundary', 'multipart/form-data', 'just bytes'],
    [
      'cut off in the middle of a part',
      'multipart/form-data; boundary=XyZ',
      '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.gif"\r\n\r\nGIF89a',
    ],
    ['with garbage instead of parts', 'multipart/form-data; boundary=XyZ', 'this is not multipart at all'],
  ])('answers a body %s with a 4xx JSON error, never a 500', async (_name, contentType, body) => {
    const objectsBefore = await api.countOriginals();
    const response = await fetch(`${api.url}/v1/images`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(((await response.json()) as ErrorReply).error.code).toMatch(
      /^(INVALID_ARGUMENT|UPLOAD_ABORTED|IMAGE_CORRUPT)$/,
    );
    expect(await api.countOriginals()).toBe(objectsBefore);
  });
});
