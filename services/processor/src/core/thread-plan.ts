export interface ThreadPlan {
  /** libvips threads per sharp operation. */
  readonly sharpThreads: number;
  /** onnxruntime intra-op threads per run. */
  readonly onnxThreads: number;
}

/**
 * Splits the cores between the images in flight so sharp and onnxruntime do not oversubscribe them:
 * each in-flight image gets cores / concurrency threads (at least one) for its decode, model and encode,
 * which run one after another for a given image.
 */
export function planThreads(cores: number, concurrency: number): ThreadPlan {
  const perImage = Math.max(1, Math.floor(cores / Math.max(1, concurrency)));
  return { sharpThreads: perImage, onnxThreads: perImage };
}

/**
 * libuv's pool size, where sharp's work and filesystem calls queue: one per in-flight image plus spare,
 * never fewer than the cores nor libuv's default of 4. Must be set before the pool's first use.
 */
export function uvThreadpoolSize(cores: number, concurrency: number): number {
  return Math.max(4, concurrency + 2, cores);
}
