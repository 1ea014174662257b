import { fileURLToPath } from 'node:url';

/**
 * The default model shipped with the processor, resolved from the package root so it is found both
 * from src/ (development) and from dist/ (the container image); both sit one level below the root.
 */
export const defaultModelPath = fileURLToPath(new URL('../../model/inverse-area.onnx', import.meta.url));
