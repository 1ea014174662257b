import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { jpegBytes, pngBytes } from '@photo-pipeline/test-support/image-builders';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiHarness, startApiHarness } from '../support/api-harness.ts';

const run = promisify(execFile);
let api: ApiHarness;
let folder: string;

beforeAll(async () => {
  api = await startApiHarness();
  folder = mkdtempSync(join(tmpdir(), 'curl-test-'));
  writeFileSync(join(folder, 'photo.jpg'), jpegBytes({ width: 1024, height: 768, bytes: 80_000 }));
  writeFileSync(join(folder, 'été.png'), pngBytes({ width: 5, height: 7 }));
  writeFileSync(join(folder, 'notes.txt'), 'not an image, whatever the form says');
});
afterAll(async () => {
  await api?.close();
  rmSync(folder, { recursive: true, force: true });
});

/** curl -F, the way a user would try the API without our client; returns the status and JSON body. */
async function curl(...args: string[]): Promise<{ status: number; body: unknown }> {
  const { stdout } = await run('curl', ['-sS', '-w', '\n%{http_code}', ...args, `${api.url}/v1/images`], {
    cwd: folder,
  });
  const lines = stdout.trimEnd().split('\n');
  const status = Number(lines.pop());
  return { status, body: JSON.parse(lines.join('\n')) };
}

describe('curl -F (a client the project did not write)', () => {
  it('uploads two files with a batch id in one request', async () => {
    const messagesBefore = await api.countMessages();
    const reply = await curl('-F', 'file=@photo.jpg', '-F', 'file=@été.png', '-F', 'batchId=curl-batch');
    expect(reply.status).toBe(202);
    const body = reply.body as {
      batchId: string;
      images: { originalName: string; contentType: string; width: number }[];
    };
    expect(body.batchId).toBe('curl-batch');
    expect(body.images.map((image) => [image.originalName, image.contentType, image.width])).toEqual([
      ['photo.jpg', 'image/jpeg', 1024],
      ['été.png', 'image/png', 5],
    ]);
    expect(await api.countMessages()).toBe(messagesBefore + 2);
  });

  it('gets a JSON 415 for a text file even when it claims to be a JPEG', async () => {
    const objectsBefore = await api.countOriginals();
    const reply = await curl('-F', 'file=@notes.txt;type=image/jpeg;filename=notes.jpg');
    expect(reply.status).toBe(415);
    expect((reply.body as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(await api.countOriginals()).toBe(objectsBefore);
  });
});
