import { describe, expect, it } from 'vitest';
import { nvidiaGpuVisible, planProviders } from '../../src/core/model/execution-provider.ts';
import { planThreads, uvThreadpoolSize } from '../../src/core/thread-plan.ts';
import { retryDelaySeconds } from '../../src/edge/queue/retry-backoff.ts';

describe('choosing the execution provider', () => {
  it('tries CUDA then CPU on auto when a GPU is visible, and says why', () => {
    expect(planProviders('auto', true)).toEqual({
      candidates: ['cuda', 'cpu'],
      reason: 'EXECUTION_PROVIDER=auto and an NVIDIA GPU is visible',
    });
  });

  it('uses CPU only on auto without a GPU, and CUDA only when asked for it', () => {
    expect(planProviders('auto', false).candidates).toEqual(['cpu']);
    expect(planProviders('cuda', false).candidates).toEqual(['cuda']);
    expect(planProviders('cpu', true).candidates).toEqual(['cpu']);
  });

  it('sees a GPU only when the NVIDIA device nodes exist', () => {
    expect(nvidiaGpuVisible(() => false)).toBe(false);
    expect(nvidiaGpuVisible((path) => path === '/dev/nvidiactl')).toBe(false);
    expect(nvidiaGpuVisible(() => true)).toBe(true);
  });
});

describe('sharing the cores', () => {
  it('gives each in-flight image an equal share of the cores, at least one thread', () => {
    expect(planThreads(8, 2)).toMatchObject({ sharpThreads: 4, onnxThreads: 4 });
    expect(planThreads(2, 2)).toMatchObject({ sharpThreads: 1, onnxThreads: 1 });
    expect(planThreads(2, 6)).toMatchObject({ sharpThreads: 1, onnxThreads: 1 });
  });

  it("sizes libuv's pool for every in-flight image plus spare, never below the cores or libuv's default of 4", () => {
    expect(uvThreadpoolSize(2, 6)).toBe(8);
    expect(uvThreadpoolSize(16, 2)).toBe(16);
    expect(uvThreadpoolSize(1, 1)).toBe(4);
  });
});

describe('retry backoff of transient failures', () => {
  it('doubles the delay with every receive and caps it at 15 minutes', () => {
    expect([1, 2, 3, 4].map((count) => retryDelaySeconds(count, 5))).toEqual([5, 10, 20, 40]);
    expect(retryDelaySeconds(30, 5)).toBe(900);
    expect(retryDelaySeconds(3, 0)).toBe(0);
  });
});
