import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readHead } from '../../src/upload/read-head.ts';

const chunksOf = (count: number, bytes: number) =>
  Array.from({ length: count }, (_, index) => Buffer.alloc(bytes, index));

describe('readHead', () => {
  it('reads a stream that ends within the bound whole', async () => {
    const head = await readHead(Readable.from(chunksOf(3, 100)), 300);
    expect(head.ended).toBe(true);
    expect(head.bytes).toBe(300);
    expect(Buffer.concat(head.chunks).equals(Buffer.concat(chunksOf(3, 100)))).toBe(true);
  });

  it('stops once past the bound and leaves the rest for the next reader', async () => {
    const stream = Readable.from(chunksOf(10, 100));
    const head = await readHead(stream, 250);
    expect(head.ended).toBe(false);
    expect(head.bytes).toBe(300);
    const rest: Buffer[] = [];
    for await (const chunk of stream) rest.push(chunk as Buffer);
    expect(Buffer.concat([...head.chunks, ...rest]).equals(Buffer.concat(chunksOf(10, 100)))).toBe(true);
  });

  it('rejects with the error of a stream that fails', async () => {
    const stream = new Readable({ read() {} });
    stream.push(Buffer.alloc(10));
    setImmediate(() => stream.destroy(new Error('socket hang up')));
    await expect(readHead(stream, 1000)).rejects.toThrow('socket hang up');
  });

  it('rejects at once for a stream that failed before it was read', async () => {
    const stream = new Readable({ read() {} });
    stream.on('error', () => undefined);
    stream.destroy(new Error('over the limit'));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(readHead(stream, 1000)).rejects.toThrow('over the limit');
  });
});
