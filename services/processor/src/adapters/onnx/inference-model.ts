import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { ExecutionProvider } from '@photo-pipeline/shared/contracts';
import { PermanentError } from '@photo-pipeline/shared/errors';
import ort from 'onnxruntime-node';
import { createBufferPool } from '../../core/model/buffer-pool.ts';
import { type ExecutionProviderSetting, planProviders } from '../../core/model/execution-provider.ts';
import { checkDeclaredContract } from '../../core/model/manifest-contract.ts';
import { isContractV1Shaped } from '../../core/model/model-contract.ts';
import { type ModelDeclaration, readModelDeclaration } from '../../core/model/model-manifest.ts';
import type { InferenceModel, PlacementReport } from '../../core/processor-ports.ts';
import { wrapSession } from './banded-session.ts';
import { createManifestRunner, warmUpFeeds } from './manifest-model.ts';
import {
  createProfileFolder,
  nodesOutside,
  profileNodePlacement,
  removeProfileFolder,
} from './node-placement.ts';

/** One model file for every provider, or one per provider (the built-in model has a CUDA graph). */
export type ModelPaths = string | Readonly<Record<ExecutionProvider, string>>;

export interface LoadModelOptions {
  readonly path: ModelPaths;
  readonly provider: ExecutionProviderSetting;
  readonly gpuVisible: boolean;
  /** onnxruntime's threads for one run; the processor splits the cores between its in-flight images. */
  readonly intraOpThreads: number;
  /** Output buffers kept for reuse: one per image in flight. */
  readonly pooledOutputs?: number;
  /**
   * Rows per inference run, for pointwise models (each output pixel depends only on the same input
   * pixel, like the default model): the image goes through in horizontal bands whose intermediates stay
   * small and in cache. 0 runs the whole image at once, which any model needs that looks at neighbours.
   */
  readonly tileRows?: number;
  /**
   * Write the inverted image over the input buffer instead of a second one. Only for a graph that reads
   * the image's pixels once, elementwise, as it writes them: the built-in model (BitwiseNot on the CPU,
   * Sub(255, x) under CUDA, then everything else reads `inverted`). Halves the per-image pixel memory.
   */
  readonly inPlace?: boolean;
  /**
   * Profile one warm-up run to learn which provider ran each node. On by default under CUDA, where
   * nodes without a CUDA kernel run on the CPU, with copies in and out.
   */
  readonly probePlacement?: boolean;
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

interface ModelFile {
  readonly bytes: Buffer;
  readonly declaration: ModelDeclaration;
}

async function readModelFile(path: string): Promise<ModelFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new PermanentError('MODEL_CONTRACT_VIOLATION', `cannot read the model ${path}`, { cause });
  }
  return { bytes, declaration: await readModelDeclaration(path, bytes) };
}

/**
 * Loads a model for one of the planned providers and checks it against its contract: v1 without a
 * manifest, v2 as its manifest declares. A file that cannot be read or parsed, a bad manifest, or a
 * graph that disagrees is MODEL_CONTRACT_VIOLATION; `cuda` that cannot be loaded is
 * EXECUTION_PROVIDER_UNAVAILABLE; `auto` falls back to CPU and says why. A v1-shaped contract runs on
 * the v1 path (bands, in place); any other runs on the v2 path (prepare, run, mask).
 */
export async function loadModel(options: LoadModelOptions): Promise<InferenceModel> {
  const plan = planProviders(options.provider, options.gpuVisible);
  let reason = plan.reason;
  const failures: string[] = [];
  let file: (ModelFile & { readonly path: string }) | undefined;
  for (const provider of plan.candidates) {
    const path = typeof options.path === 'string' ? options.path : options.path[provider];
    // A CUDA failure falls back to the CPU; with one file for both it is read and checked once.
    if (file?.path !== path) file = { path, ...(await readModelFile(path)) };
    const { bytes, declaration } = file;
    const profile = (options.probePlacement ?? provider === 'cuda') ? await createProfileFolder() : undefined;
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        ...sessionOptions(provider, options.intraOpThreads),
        ...(profile ? { enableProfiling: true, profileFilePrefix: profile.prefix } : {}),
      });
    } catch (cause) {
      if (profile) await removeProfileFolder(profile.dir);
      const message = cause instanceof Error ? cause.message : String(cause);
      if (provider === 'cpu') {
        throw new PermanentError(
          'MODEL_CONTRACT_VIOLATION',
          `cannot load ${path} as an ONNX model: ${message}`,
          { cause },
        );
      }
      failures.push(`${provider}: ${message}`);
      continue;
    }
    try {
      checkDeclaredContract(declaration.manifest, session);
    } catch (error) {
      if (profile) await removeProfileFolder(profile.dir);
      await session.release();
      throw error;
    }
    const placement = profile
      ? await placementReport(session, declaration, provider, profile.dir)
      : undefined;
    if (failures.length > 0) reason = `${reason}, but ${failures.join('; ')}; using cpu`;
    const digest = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
    const { manifest } = declaration;
    const described = {
      name: manifest.name ?? basename(path, extname(path)),
      version: manifest.version ?? digest,
      digest,
      path: path,
      executionProvider: provider,
      providerReason: reason,
      contract: { version: manifest.contractVersion, manifest: declaration.source },
      placement,
    };
    if (manifest.contractVersion === 1 || isContractV1Shaped(manifest)) {
      return {
        ...described,
        ...wrapSession(session, {
          outputs: createBufferPool(options.pooledOutputs ?? 1),
          tileRows: options.tileRows ?? 0,
          inPlace: options.inPlace ?? false,
        }),
      };
    }
    const runner = createManifestRunner(session, manifest);
    return {
      ...described,
      tileRows: 0,
      run: async (rgb, width, height) => ({ ...(await runner.run(rgb, width, height)), release: () => {} }),
      release: () => session.release(),
    };
  }
  throw new PermanentError(
    'EXECUTION_PROVIDER_UNAVAILABLE',
    `EXECUTION_PROVIDER=cuda but the CUDA provider cannot be used (${failures.join('; ') || 'no GPU'}); ` +
      'use EXECUTION_PROVIDER=auto or cpu, or run where onnxruntime-node was installed with ONNXRUNTIME_NODE_INSTALL=cuda12 and a GPU is visible',
  );
}

/**
 * Where the nodes of one warm-up run went. A model that cannot run the warm-up input (zeros; 64 x 64 for
 * a dynamic size) still loads: its placement is reported as unknown, with the reason, and the first real
 * image shows whether the model works.
 */
async function placementReport(
  session: ort.InferenceSession,
  declaration: ModelDeclaration,
  provider: ExecutionProvider,
  profileDir: string,
): Promise<PlacementReport> {
  try {
    const placements = await profileNodePlacement(session, warmUpFeeds(declaration.manifest), profileDir);
    return { kind: 'profiled', nodes: placements.length, outside: nodesOutside(placements, provider) };
  } catch (error) {
    return { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
  }
}
