import { fileURLToPath } from 'node:url';

/**
 * The default model shipped with the processor, resolved from the package root so it is found both
 * from src/ (development) and from dist/ (the container image); this file sits three levels below the
 * root in either.
 */
export const defaultModelPath = fileURLToPath(new URL('../../../model/inverse-area.onnx', import.meta.url));

/** The built-in model for CUDA: the same contract in ops that all have CUDA kernels. */
export const defaultCudaModelPath = fileURLToPath(
  new URL('../../../model/inverse-area-cuda.onnx', import.meta.url),
);

/** The built-in model's file for each execution provider. */
export const defaultModelPaths = { cpu: defaultModelPath, cuda: defaultCudaModelPath } as const;

/**
 * Rows per inference run for the built-in model, which is pointwise: 128 rows of a 4000-pixel-wide
 * photo keep each run's intermediates under 1 MB (in cache) and cut the model's CPU time by about a
 * third against one run over the whole image.
 */
export const defaultModelTileRows = 128;
