import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { ExecutionProvider } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import ort from 'onnxruntime-node';
import { type BufferPool, createBufferPool } from './buffer-pool.ts';
import { type ExecutionProviderSetting, planProviders } from './execution-provider.ts';
import { checkModelContract, modelContract } from './model-contract.ts';

export interface ModelOutput {
  /** 255 - x per channel, RGB interleaved, width x height x 3 bytes; valid until `release()`. */
  readonly inverted: Buffer;
  readonly foregroundPx: number;
  /** Returns the output buffer to the pool once the inverted image has been encoded. */
  release(): void;
}

export interface InferenceModel {
  readonly name: string;
  /** The first 12 hex digits of the model file's SHA-256: any change to the file is a new version. */
  readonly version: string;
  readonly path: string;
  readonly executionProvider: ExecutionProvider;
  /** Why this provider was chosen, for the start-up log. */
  readonly providerReason: string;
  run(rgb: Uint8Array, width: number, height: number): Promise<ModelOutput>;
  release(): Promise<void>;
}

export interface LoadModelOptions {
  readonly path: string;
  readonly provider: ExecutionProviderSetting;
  readonly gpuVisible: boolean;
  /** onnxruntime's threads for one run; the processor splits the cores between its in-flight images. */
  readonly intraOpThreads: number;
  /** Output buffers kept for reuse: one per image in flight. */
  readonly pooledOutputs?: number;
}

function sessionOptions(provider: ExecutionProvider, threads: number): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [provider],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    // Image sizes vary from one run to the next: an arena would keep the largest image's buffers for
    // the life of the process, and memory patterns cannot be reused across shapes.
    enableCpuMemArena: false,
    enableMemPattern: false,
    logSeverityLevel: 3,
    // Idle pool threads spinning for work would steal the cores sharp needs; they sleep instead.
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

/**
 * Loads a model for one of the planned providers and checks it against the contract. A file that cannot
 * be read or parsed, or that breaks the contract, is MODEL_CONTRACT_VIOLATION; `cuda` that cannot be
 * loaded is EXECUTION_PROVIDER_UNAVAILABLE; `auto` falls back to CPU and says why.
 */
export async function loadModel(options: LoadModelOptions): Promise<InferenceModel> {
  let bytes: Buffer;
  try {
    bytes = await readFile(options.path);
  } catch (cause) {
    throw new PermanentError('MODEL_CONTRACT_VIOLATION', `cannot read the model ${options.path}`, { cause });
  }
  const plan = planProviders(options.provider, options.gpuVisible);
  let reason = plan.reason;
  const failures: string[] = [];
  for (const provider of plan.candidates) {
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, sessionOptions(provider, options.intraOpThreads));
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      if (provider === 'cpu') {
        throw new PermanentError(
          'MODEL_CONTRACT_VIOLATION',
          `cannot load ${options.path} as an ONNX model: ${message}`,
          { cause },
        );
      }
      failures.push(`${provider}: ${message}`);
      continue;
    }
    try {
      checkModelContract(session);
    } catch (error) {
      await session.release();
      throw error;
    }
    if (failures.length > 0) reason = `${reason}, but ${failures.join('; ')}; using cpu`;
    return wrapSession(
      session,
      options.path,
      bytes,
      provider,
      reason,
      createBufferPool(options.pooledOutputs ?? 1),
    );
  }
  throw new PermanentError(
    'EXECUTION_PROVIDER_UNAVAILABLE',
    `EXECUTION_PROVIDER=cuda but the CUDA provider cannot be used (${failures.join('; ') || 'no GPU'}); ` +
      'use EXECUTION_PROVIDER=auto or cpu, or run where onnxruntime-node was installed with ONNXRUNTIME_NODE_INSTALL=cuda12 and a GPU is visible',
  );
}

function wrapSession(
  session: ort.InferenceSession,
  path: string,
  bytes: Buffer,
  provider: ExecutionProvider,
  providerReason: string,
  outputs: BufferPool,
): InferenceModel {
  const { input, inverted, foregroundPixels } = modelContract;
  return {
    name: basename(path, extname(path)),
    version: createHash('sha256').update(bytes).digest('hex').slice(0, 12),
    path,
    executionProvider: provider,
    providerReason,
    async run(rgb, width, height) {
      const shape = [1, height, width, 3];
      // onnxruntime writes the inverted image straight into a reused buffer (no copy out of its own
      // memory, no fresh pages); the input tensor wraps the decoder's buffer, also without a copy.
      const output = outputs.acquire(width * height * 3);
      try {
        return await runOnce(rgb, output.bytes, shape, width, height, output.release);
      } catch (error) {
        output.release();
        throw error;
      }
    },
    release: () => session.release(),
  };

  async function runOnce(
    rgb: Uint8Array,
    output: Buffer,
    shape: number[],
    width: number,
    height: number,
    release: () => void,
  ): Promise<ModelOutput> {
    const results = await session.run(
      { [input.name]: new ort.Tensor('uint8', rgb, shape) },
      { [inverted.name]: new ort.Tensor('uint8', output, shape), [foregroundPixels.name]: null },
    );
    const invertedTensor = results[inverted.name];
    const count = results[foregroundPixels.name];
    if (!invertedTensor || !count || count.type !== 'int64' || count.data.length !== 1) {
      throw new PermanentError(
        'MODEL_CONTRACT_VIOLATION',
        'the model returned outputs that break the contract',
      );
    }
    const dims = invertedTensor.dims;
    if (dims.length !== 4 || dims[1] !== height || dims[2] !== width || dims[3] !== 3) {
      throw new PermanentError(
        'MODEL_CONTRACT_VIOLATION',
        `the model returned "${inverted.name}" of shape [${dims.join(', ')}] for an input of [${shape.join(', ')}]`,
      );
    }
    const foregroundPx = Number(count.data[0]);
    if (!Number.isSafeInteger(foregroundPx) || foregroundPx < 0 || foregroundPx > width * height) {
      throw new PermanentError(
        'MODEL_CONTRACT_VIOLATION',
        `the model counted ${String(count.data[0])} foreground pixels in a ${width}x${height} image`,
      );
    }
    return { inverted: output, foregroundPx, release };
  }
}
