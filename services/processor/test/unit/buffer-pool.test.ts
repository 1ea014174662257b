import { describe, expect, it } from 'vitest';
import { createBufferPool } from '../../src/core/model/buffer-pool.ts';

describe('the model output buffer pool', () => {
  it('hands a released buffer to the next image of the same or a smaller size', () => {
    const pool = createBufferPool(2);
    const first = pool.acquire(1000);
    first.bytes.fill(1);
    first.release();
    const second = pool.acquire(600);
    expect(second.bytes.length).toBe(600);
    expect(second.bytes.buffer).toBe(first.bytes.buffer);
    expect(pool.retainedBytes).toBe(0);
  });

  it('never hands out a buffer that is still in use, nor one too small', () => {
    const pool = createBufferPool(2);
    const busy = pool.acquire(100);
    const small = pool.acquire(50);
    small.release();
    const next = pool.acquire(80);
    expect(next.bytes.buffer).not.toBe(busy.bytes.buffer);
    expect(next.bytes.buffer).not.toBe(small.bytes.buffer);
    expect(next.bytes.length).toBe(80);
  });

  it('keeps at most maxFree buffers, the largest ones, and ignores a second release', () => {
    const pool = createBufferPool(1);
    const a = pool.acquire(10);
    const b = pool.acquire(30);
    a.release();
    b.release();
    b.release();
    expect(pool.retainedBytes).toBe(30);
  });
});
