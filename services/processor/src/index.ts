export { loadModel } from './adapters/onnx/inference-model.ts';
export { decodeImage } from './core/image/decode-image.ts';
export { encodeImage } from './core/image/encode-image.ts';
export { jpegOptions, pngOptions } from './core/image/image-limits.ts';
export { processImage } from './core/image/process-image.ts';
export { loadTurboJpeg } from './core/image/turbojpeg.ts';
export { createBufferPool } from './core/model/buffer-pool.ts';
export { checkModelContract, modelContract } from './core/model/model-contract.ts';
export {
  defaultCudaModelPath,
  defaultModelPath,
  defaultModelPaths,
  defaultModelTileRows,
} from './core/model/model-path.ts';
export type { InferenceModel } from './core/processor-ports.ts';
export { planThreads } from './core/thread-plan.ts';
