// The processing benchmark: images/s and peak RSS of the processor's per-image path (decode, ONNX model,
// encode; no AWS) against the reference a user would otherwise pick, the seed's OpenCV path in Python
// (one process per core; skipped with a note where OpenCV is absent), and against the floor (sharp alone: decode, negate, encode in one streamed pipeline, same
// encoder settings), for ~2 MP and ~12 MP JPEG photos, and for reference the processor's path with the
// model left out (decode to a raw buffer, encode from it). Each measurement runs in its own child process.
// Run alone: `pnpm --filter @photo-pipeline/processor bench` (prints JSON); `pnpm bench processing` from
// the root includes it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { defaultProcessorConcurrency } from '@photo-pipeline/shared/config';
import sharp from 'sharp';
import { uvThreadpoolSize } from '../src/core/thread-plan.ts';
import { findOpenCv, measureOpenCv } from './opencv-reference.ts';

const run = promisify(execFile);
const workerPath = fileURLToPath(new URL('./bench-worker.ts', import.meta.url));

const sizes = [
  { label: '2MP', width: 1732, height: 1155 },
  { label: '12MP', width: 4000, height: 3000 },
] as const;

/** Seconds each path runs per size: 8 runs of this, plus warm-ups and image generation, about 90 s. */
const secondsPerRun = 8;

/**
 * A photo-like JPEG made here (no download): large smooth shapes (upscaled noise) with fine grain on
 * top, encoded at quality 92 like a camera, which gives camera-like file sizes (~1.3 bits per pixel).
 */
async function photo(width: number, height: number): Promise<Buffer> {
  const shapes = await sharp({
    create: {
      width: 64,
      height: 48,
      channels: 3,
      background: '#777',
      noise: { type: 'gaussian', mean: 128, sigma: 70 },
    },
  })
    .png()
    .toBuffer();
  const grain = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 14 },
    },
  })
    .raw()
    .toBuffer();
  return sharp(shapes)
    .resize(width, height, { kernel: 'cubic' })
    .composite([{ input: grain, raw: { width, height, channels: 3 }, blend: 'soft-light' }])
    .jpeg({ quality: 92 })
    .toBuffer();
}

interface PathFigures {
  readonly images: number;
  readonly seconds: number;
  readonly imagesPerSecond: number;
  readonly cpuMsPerImage: number;
  readonly coresBusy: number;
  readonly peakRssMiB: number;
  readonly outputBytesAvg: number;
}

async function measure(
  path: 'processor' | 'floor' | 'raw-round-trip',
  file: string,
  inFlight: number,
): Promise<PathFigures> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=development', workerPath, path, file, String(inFlight), String(secondsPerRun)],
    {
      maxBuffer: 1024 * 1024,
      env: { ...process.env, UV_THREADPOOL_SIZE: String(uvThreadpoolSize(availableParallelism(), inFlight)) },
    },
  );
  const line = stdout.trim().split('\n').at(-1) ?? '{}';
  return JSON.parse(line);
}

export async function runProcessingBench(): Promise<object> {
  const dir = mkdtempSync(join(tmpdir(), 'processing-bench-'));
  // As many images in flight as the processor takes by default.
  const inFlight = defaultProcessorConcurrency();
  const openCv = await findOpenCv();
  try {
    const results: Record<string, unknown> = {};
    for (const size of sizes) {
      const bytes = await photo(size.width, size.height);
      const file = join(dir, `${size.label}.jpg`);
      writeFileSync(file, bytes);
      const processor = await measure('processor', file, inFlight);
      const floor = await measure('floor', file, inFlight);
      const rawRoundTrip = await measure('raw-round-trip', file, inFlight);
      const opencv = openCv.available
        ? await measureOpenCv(openCv.python, file, inFlight, secondsPerRun)
        : { skipped: openCv.skipped };
      results[size.label] = {
        input: { width: size.width, height: size.height, bytes: bytes.length },
        processor,
        opencv,
        // The target: the processor's images/s over OpenCV's, same photo, same machine, same run.
        vsOpenCvRatio:
          'imagesPerSecond' in opencv
            ? Math.round((processor.imagesPerSecond / opencv.imagesPerSecond) * 100) / 100
            : null,
        vsOpenCvCpuRatio:
          'cpuMsPerImage' in opencv
            ? Math.round((opencv.cpuMsPerImage / processor.cpuMsPerImage) * 100) / 100
            : null,
        floor,
        rawRoundTrip,
        throughputRatio: Math.round((processor.imagesPerSecond / floor.imagesPerSecond) * 100) / 100,
        peakRssRatio: Math.round((processor.peakRssMiB / floor.peakRssMiB) * 100) / 100,
        // Floor CPU time over processor CPU time: the throughput ratio both would reach with the cores
        // equally busy (steadier than images/s on a shared machine).
        cpuThroughputRatio: Math.round((floor.cpuMsPerImage / processor.cpuMsPerImage) * 100) / 100,
        // The most any model could reach: the processor's path without one, against the floor.
        rawRoundTripThroughputRatio:
          Math.round((rawRoundTrip.imagesPerSecond / floor.imagesPerSecond) * 100) / 100,
      };
    }
    return {
      settings: {
        inFlight,
        secondsPerRun,
        jpeg: 'quality 90, 4:2:0, no Huffman optimisation (both paths)',
        provider: 'cpu',
      },
      targets: { vsOpenCvRatioAtLeast: { '2MP': 1.5, '12MP': 1.2 }, peakRssRatioBelow: 1.5 },
      ...results,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  process.stdout.write(`${JSON.stringify(await runProcessingBench(), null, 2)}\n`);
}
