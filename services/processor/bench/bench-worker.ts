// One measured path in its own process, so its peak RSS is its own: `node bench-worker.ts <path> <file>
// <inFlight> <seconds>`, path processor, floor or raw-round-trip. Prints one JSON line with throughput,
// peak RSS and output size.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const pathNames = ['processor', 'floor', 'raw-round-trip'] as const;
type PathName = (typeof pathNames)[number];
const [pathName, file, inFlightArg, secondsArg] = process.argv.slice(2);
const inFlight = Number(inFlightArg ?? '1');
const budgetMs = Number(secondsArg ?? '5') * 1000;
const jpegQuality = 90;
const maxPixels = 100_000_000;

/** Wall-clock milliseconds per stage of the processor path, summed over the measured images. */
const stageTotals = { decodeMs: 0, inferenceMs: 0, encodeMs: 0 };
let measuring = false;

async function makeWork(path: PathName): Promise<(bytes: Buffer) => Promise<number>> {
  const {
    decodeImage,
    encodeImage,
    jpegOptions,
    planThreads,
    processImage,
    loadModel,
    defaultModelPath,
    defaultModelTileRows,
    createBufferPool,
  } = await import('../src/index.ts');
  // Decoded pixels go into reused buffers, one per image in flight, as in the processor.
  const buffers = createBufferPool(inFlight);
  const sharp = (await import('sharp')).default;
  const threads = planThreads(availableParallelism(), inFlight);
  sharp.concurrency(threads.sharpThreads);
  sharp.cache(false);
  if (path === 'floor') {
    // The floor: sharp alone decoding, negating and encoding in one streamed pipeline, same encoder.
    return async (bytes) => {
      const out = await sharp(bytes)
        .autoOrient()
        .negate({ alpha: false })
        .jpeg(jpegOptions({ jpegQuality }))
        .toBuffer();
      return out.length;
    };
  }
  if (path === 'raw-round-trip') {
    // The processor's path with the model left out: decode to a raw buffer, encode from it (the output is
    // not inverted). No model, however cheap, can make the processor faster than this.
    return async (bytes) => {
      const decoded = await decodeImage(bytes, maxPixels, buffers);
      try {
        const out = await encodeImage(decoded.rgb, decoded.width, decoded.height, decoded.alpha, {
          jpegQuality,
        });
        return out.bytes.length;
      } finally {
        decoded.release();
      }
    };
  }
  const model = await loadModel({
    path: defaultModelPath,
    provider: 'cpu',
    gpuVisible: false,
    intraOpThreads: threads.onnxThreads,
    pooledOutputs: inFlight,
    tileRows: defaultModelTileRows,
    inPlace: true,
  });
  return async (bytes) => {
    const processed = await processImage(bytes, model, { maxPixels, jpegQuality, buffers });
    if (measuring) {
      stageTotals.decodeMs += processed.timings.decodeMs;
      stageTotals.inferenceMs += processed.timings.inferenceMs;
      stageTotals.encodeMs += processed.timings.encodeMs;
    }
    return processed.output.bytes.length;
  };
}

async function main(): Promise<void> {
  if (!isPathName(pathName) || !file) {
    throw new Error(`usage: bench-worker.ts ${pathNames.join('|')} <jpeg file> [inFlight] [seconds]`);
  }
  const bytes = readFileSync(file);
  const work = await makeWork(pathName);
  await work(bytes); // warm-up: first-use allocations and thread start-up are not throughput
  let images = 0;
  let outputBytes = 0;
  measuring = true;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const lane = async () => {
    while (performance.now() - started < budgetMs) {
      const size = await work(bytes);
      outputBytes += size;
      images++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const perImage = (ms: number) => (images > 0 ? Math.round((ms / images) * 10) / 10 : 0);
  process.stdout.write(
    `${JSON.stringify({
      path: pathName,
      images,
      seconds: Math.round(seconds * 100) / 100,
      imagesPerSecond: Math.round((images / seconds) * 100) / 100,
      // CPU time per image is steadier than images/s on a machine shared with other work.
      cpuMsPerImage: images > 0 ? Math.round(cpuMs / images) : 0,
      // Cores kept busy on average (CPU time over wall time): at most the number of cores.
      coresBusy: Math.round((cpuMs / 1000 / seconds) * 100) / 100,
      peakRssMiB: Math.round(peakRssKiB() / 1024),
      outputBytesAvg: images > 0 ? Math.round(outputBytes / images) : 0,
      // The processor's stages, wall clock per image with the other in-flight images competing.
      ...(pathName === 'processor'
        ? {
            stageWallMsPerImage: {
              decode: perImage(stageTotals.decodeMs),
              inference: perImage(stageTotals.inferenceMs),
              encode: perImage(stageTotals.encodeMs),
            },
          }
        : {}),
    })}\n`,
  );
}

function isPathName(name: string | undefined): name is PathName {
  return pathNames.some((known) => known === name);
}

await main();

/**
 * This process's own peak RSS. VmHWM belongs to the process image and starts afresh at exec; getrusage's
 * maxRSS does not on Linux (it keeps the forking parent's peak), which made every path report the
 * peak of whatever ran the benchmark.
 */
function peakRssKiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (match?.[1]) return Number(match[1]);
  } catch {
    // not Linux: fall back to getrusage
  }
  return process.resourceUsage().maxRSS;
}
