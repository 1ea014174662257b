import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ErrorBody } from '@photo-pipeline/shared/contracts';
import { bogusJpeg } from '@photo-pipeline/test-support/bogus-jpeg';
import { gifBytes, jpegBytes, pngBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, postImages, startApiHarness } from '../support/api-harness.ts';
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

describe('POST /v1/images', () => {
  it('uses the caller X-Request-Id in the reply and error body', async () => {
    const reply = await postImages(
      api.url,
      [{ name: 'x.txt', bytes: Buffer.from('plain text, not an image at all') }],
      {
        headers: { 'x-request-id': 'trace-123' },
      },
    );
    expect(reply.headers.get('x-request-id')).toBe('trace-123');
    expect((reply.body as ErrorBody).error.requestId).toBe('trace-123');
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
      const body = reply.body as ErrorBody;
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
    expect(((await response.json()) as ErrorBody).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
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
    expect(((await response.json()) as ErrorBody).error.code).toMatch(
      /^(INVALID_ARGUMENT|UPLOAD_ABORTED|IMAGE_CORRUPT)$/,
    );
    expect(await api.countOriginals()).toBe(objectsBefore);
  });
});
