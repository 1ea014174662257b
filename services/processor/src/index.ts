export { decodeImage } from './image/decode-image.ts';
export { encodeImage } from './image/encode-image.ts';
export { jpegOptions, pngOptions } from './image/image-limits.ts';
export { processImage } from './image/process-image.ts';
export { type InferenceModel, loadModel } from './model/inference-model.ts';
export { checkModelContract, modelContract } from './model/model-contract.ts';
export {
  defaultCudaModelPath,
  defaultModelPath,
  defaultModelPaths,
  defaultModelTileRows,
} from './model/model-path.ts';
export { planThreads } from './thread-plan.ts';
