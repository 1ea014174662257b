export interface PooledBuffer {
  /** Exactly the requested number of bytes (a view on a possibly larger pooled buffer). */
  readonly bytes: Buffer;
  /** Gives the buffer back for the next image; the view must not be used afterwards. */
  release(): void;
}

export interface BufferPool {
  acquire(size: number): PooledBuffer;
  /** Bytes held by free buffers. */
  readonly retainedBytes: number;
}

/**
 * Reuses the large output buffers the model writes into. A fresh 36 MB buffer per 12 MP image costs
 * thousands of page faults (the kernel zeroing new pages): about a third of the model's run time.
 * Keeps at most `maxFree` free buffers (one per in-flight image), so what it retains is bounded by the
 * largest images seen.
 */
export function createBufferPool(maxFree: number): BufferPool {
  const free: Buffer[] = [];
  return {
    acquire(size) {
      // The smallest free buffer that fits, so large ones stay for large images.
      let best = -1;
      for (let i = 0; i < free.length; i++) {
        const candidate = free[i];
        if (
          candidate &&
          candidate.length >= size &&
          (best < 0 || candidate.length < (free[best]?.length ?? 0))
        ) {
          best = i;
        }
      }
      const whole =
        best >= 0 ? (free.splice(best, 1)[0] ?? Buffer.allocUnsafeSlow(size)) : Buffer.allocUnsafeSlow(size);
      let released = false;
      return {
        bytes: whole.subarray(0, size),
        release() {
          if (released) return;
          released = true;
          free.push(whole);
          if (free.length > maxFree) {
            free.sort((a, b) => b.length - a.length);
            free.length = maxFree;
          }
        },
      };
    },
    get retainedBytes() {
      return free.reduce((sum, buffer) => sum + buffer.length, 0);
    },
  };
}
