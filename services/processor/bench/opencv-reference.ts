// The OpenCV reference for the processing benchmark: the seed's Python path (bench/opencv_path.py), one
// process per core on the same photo, as a user would run it. Needs a Python 3 with OpenCV (Debian:
// `apt-get install python3-opencv`); OPENCV_PYTHON names another interpreter. Without one the
// benchmark skips this path and says why.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type FoundPython, findPython } from '@photo-pipeline/test-support/python-finder';

const run = promisify(execFile);
const scriptPath = fileURLToPath(new URL('./opencv_path.py', import.meta.url));

export interface OpenCvFigures {
  readonly processes: number;
  readonly images: number;
  readonly imagesPerSecond: number;
  readonly cpuMsPerImage: number;
  /** The processes' peak RSS added up: what the machine holds for this path. */
  readonly peakRssMiB: number;
  readonly outputBytesAvg: number;
  readonly opencv: string;
}

/** The first interpreter that imports cv2 and numpy: OPENCV_PYTHON, then python3 on PATH, then Debian's. */
export function findOpenCv(): Promise<FoundPython> {
  return findPython({
    override: process.env.OPENCV_PYTHON,
    modules: ['cv2', 'numpy'],
    install: 'install python3-opencv (apt) or set OPENCV_PYTHON',
  });
}

interface ProcessFigures {
  readonly images: number;
  readonly seconds: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
  readonly outputBytesAvg: number;
  readonly opencv: string;
}

/** Runs `processes` OpenCV processes at once on `file` for `seconds` and adds their figures up. */
export async function measureOpenCv(
  python: string,
  file: string,
  processes: number,
  seconds: number,
): Promise<OpenCvFigures> {
  const figures = await Promise.all(
    Array.from({ length: processes }, async () => {
      const { stdout } = await run(python, [scriptPath, file, String(seconds)], { maxBuffer: 1024 * 1024 });
      return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ProcessFigures;
    }),
  );
  const images = figures.reduce((sum, one) => sum + one.images, 0);
  const cpuMs = figures.reduce((sum, one) => sum + one.cpuMs, 0);
  const round2 = (value: number) => Math.round(value * 100) / 100;
  return {
    processes,
    images,
    imagesPerSecond: round2(figures.reduce((sum, one) => sum + one.images / one.seconds, 0)),
    cpuMsPerImage: images > 0 ? Math.round(cpuMs / images) : 0,
    peakRssMiB: figures.reduce((sum, one) => sum + one.peakRssMiB, 0),
    outputBytesAvg: Math.round(figures.reduce((sum, one) => sum + one.outputBytesAvg, 0) / processes),
    opencv: figures[0]?.opencv ?? 'unknown',
  };
}
