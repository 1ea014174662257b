import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectFiles, describeSkipped } from '../../src/collect-files.ts';
import { multipartBody } from '../../src/multipart-body.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'collect-'));
  mkdirSync(join(root, 'trip', 'day2'), { recursive: true });
  mkdirSync(join(root, 'trip', '.thumbs'), { recursive: true });
  writeFileSync(join(root, 'trip', 'b.JPG'), 'b');
  writeFileSync(join(root, 'trip', 'day2', 'a.webp'), 'aa');
  writeFileSync(join(root, 'trip', 'notes.md'), 'skip');
  writeFileSync(join(root, 'trip', '.thumbs', 'x.jpg'), 'skip');
  writeFileSync(join(root, 'single.bin'), 'named one by one');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('collectFiles', () => {
  it('walks folders for image extensions, skips hidden entries, keeps files named explicitly, sorted and unique', async () => {
    const { files } = await collectFiles(['trip', 'single.bin', join(root, 'trip', 'b.JPG')], root);
    expect(files.map((file) => [file.path.slice(root.length + 1), file.bytes])).toEqual([
      ['single.bin', 16],
      ['trip/b.JPG', 1],
      ['trip/day2/a.webp', 2],
    ]);
  });

  it('counts the files the folders held besides images, by extension, and hidden ones', async () => {
    writeFileSync(join(root, 'trip', 'day2', 'README'), 'no extension');
    writeFileSync(join(root, 'trip', 'day2', 'more.MD'), 'skip');
    writeFileSync(join(root, 'trip', '.DS_Store'), 'hidden');

    const { skipped } = await collectFiles(['trip'], root);

    expect(skipped).toEqual({ count: 4, byReason: { '.md': 2, '(no extension)': 1, hidden: 1 } });
    expect(describeSkipped(skipped)).toBe(
      '4 files skipped (not images by their extension, or hidden): .md 2, (no extension) 1, hidden 1',
    );
  });

  it('names a path that does not exist', async () => {
    await expect(collectFiles(['nope'], root)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'no such file or folder: nope',
    });
  });
});

describe('multipartBody', () => {
  it('streams exactly Content-Length bytes with the batch id field and a quoted filename', async () => {
    const path = join(root, 'trip', 'b.JPG');
    const body = multipartBody({ path, name: 'we"ird\nname.jpg', bytes: 1 }, 'batch-1');
    let fileBytes = 0;
    const chunks: Buffer[] = [];
    for await (const chunk of body.stream((n) => {
      fileBytes += n;
    }))
      chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString();
    expect(Buffer.byteLength(text)).toBe(body.contentLength);
    expect(fileBytes).toBe(1);
    expect(text).toContain('name="batchId"\r\n\r\nbatch-1\r\n');
    expect(text).toContain('filename="we%22ird%0Aname.jpg"');
    expect(body.contentType).toMatch(/^multipart\/form-data; boundary=/);
  });
});
