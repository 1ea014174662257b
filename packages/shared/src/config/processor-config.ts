import { z } from 'zod';
import { awsEnvShape, loggingEnvShape, resourceEnvShape } from './common-env.ts';

/** The processor task's environment. */
export const processorConfigSchema = z.object({
  ...awsEnvShape,
  ...loggingEnvShape,
  ...resourceEnvShape,
  /** An ONNX model honouring the contract; unset means the default model shipped with the processor. */
  MODEL_PATH: z.string().min(1).optional(),
  EXECUTION_PROVIDER: z
    .enum(['auto', 'cuda', 'cpu'], { message: 'expected auto, cuda or cpu' })
    .default('auto'),
});

export type ProcessorConfig = z.output<typeof processorConfigSchema>;
