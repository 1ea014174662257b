import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionProvider } from '@photo-pipeline/shared/contracts';
import type ort from 'onnxruntime-node';
import { z } from 'zod';
import type { NodePlacement } from '../../core/processor-ports.ts';

/** onnxruntime's provider names, as its profile spells them. */
export const onnxProviderNames: Readonly<Record<ExecutionProvider, string>> = {
  cuda: 'CUDAExecutionProvider',
  cpu: 'CPUExecutionProvider',
};

const kernelSuffix = '_kernel_time';

const profileSchema = z.array(
  z.object({
    cat: z.string(),
    name: z.string(),
    args: z.object({ op_name: z.string().optional(), provider: z.string().optional() }).optional(),
  }),
);

/**
 * Each node's provider, from an onnxruntime profile (the JSON array `endProfiling` writes): the `Node`
 * events named `<node>_kernel_time` carry `args.provider` and `args.op_name`. One entry per node.
 */
export function placementsFromProfile(profile: unknown): NodePlacement[] {
  const placements = new Map<string, NodePlacement>();
  for (const event of profileSchema.parse(profile)) {
    if (event.cat !== 'Node' || !event.name.endsWith(kernelSuffix) || !event.args?.provider) continue;
    const node = event.name.slice(0, -kernelSuffix.length);
    placements.set(node, { node, op: event.args.op_name ?? '?', provider: event.args.provider });
  }
  return [...placements.values()];
}

/** The nodes that did not run on `provider`: under CUDA, those that fell back to the CPU. */
export function nodesOutside(
  placements: readonly NodePlacement[],
  provider: ExecutionProvider,
): NodePlacement[] {
  return placements.filter((placement) => placement.provider !== onnxProviderNames[provider]);
}

/** A folder for one session's profile; onnxruntime names the file `<prefix>_<date>.json` itself. */
export async function createProfileFolder(): Promise<{ readonly prefix: string; readonly dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'processor-placement-'));
  return { dir, prefix: join(dir, 'placement') };
}

/** Removes a profile folder whose session never ran (it failed to load, or broke the contract). */
export async function removeProfileFolder(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Runs `feeds` once through a session created with profiling on (`enableProfiling`, `profileFilePrefix`
 * inside `dir`), ends profiling, and reads where each node ran. The folder is removed afterwards.
 */
export async function profileNodePlacement(
  session: ort.InferenceSession,
  feeds: ort.InferenceSession.FeedsType,
  dir: string,
): Promise<NodePlacement[]> {
  try {
    try {
      await session.run(feeds);
    } finally {
      // Profiling stays on until ended: every later run would add events and the file would grow.
      session.endProfiling();
    }
    const [file] = await readdir(dir);
    if (file === undefined) throw new Error('onnxruntime wrote no profile');
    return placementsFromProfile(JSON.parse(await readFile(join(dir, file), 'utf8')));
  } finally {
    await removeProfileFolder(dir);
  }
}
