import { existsSync } from 'node:fs';
import type { ExecutionProvider } from '@photo-pipeline/shared/contracts';

export type ExecutionProviderSetting = 'auto' | 'cuda' | 'cpu';

/** Whether an NVIDIA GPU is visible to this process (the driver's device nodes, as the container runtime mounts them). */
export function nvidiaGpuVisible(exists: (path: string) => boolean = existsSync): boolean {
  return exists('/dev/nvidiactl') && exists('/dev/nvidia0');
}

export interface ProviderPlan {
  /** Providers to try, best first. */
  readonly candidates: readonly ExecutionProvider[];
  /** Why this order, for the start-up log. */
  readonly reason: string;
}

/**
 * Which execution providers to try for a setting: `cpu` only CPU; `cuda` only CUDA (failing to load it is
 * a start-up error); `auto` CUDA first when a GPU is visible, then CPU.
 */
export function planProviders(setting: ExecutionProviderSetting, gpuVisible: boolean): ProviderPlan {
  switch (setting) {
    case 'cpu':
      return { candidates: ['cpu'], reason: 'EXECUTION_PROVIDER=cpu' };
    case 'cuda':
      return { candidates: ['cuda'], reason: 'EXECUTION_PROVIDER=cuda' };
    case 'auto':
      return gpuVisible
        ? { candidates: ['cuda', 'cpu'], reason: 'EXECUTION_PROVIDER=auto and an NVIDIA GPU is visible' }
        : { candidates: ['cpu'], reason: 'EXECUTION_PROVIDER=auto and no NVIDIA GPU is visible' };
  }
}
