import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import koffi from 'koffi';

/**
 * libjpeg-turbo's TurboJPEG 3 API, called through koffi: JPEG decoding into a buffer the caller owns (a
 * pooled one, so no fresh pages per image) and encoding from one, with the accurate DCT both ways.
 *
 * Why not sharp for these two steps: sharp always returns decoded pixels in a freshly allocated buffer,
 * and on this kind of VM first-touching 36 MB of fresh memory costs more CPU than decoding into it
 * (measured in services/processor/README.md). Why not @julusian/jpeg-turbo's own binding: it hard-codes
 * TJFLAG_FASTDCT, whose pixels differ from every other decoder's (two thirds of the bytes of a photo,
 * and a foreground count 3 % off). We load the shared library that package ships instead, and get
 * pixels identical to sharp's and OpenCV's (test/unit/turbojpeg.test.ts checks that byte for byte).
 *
 * Linux only: on other platforms that package links the library into its addon, and `loadTurboJpeg`
 * reports it unavailable, so sharp does all the work.
 */

/** TurboJPEG 3 constants, from turbojpeg.h. */
const tjInit = { compress: 0, decompress: 1 } as const;
const tjParam = {
  stopOnWarning: 0,
  noRealloc: 2,
  quality: 3,
  subsampling: 4,
  jpegWidth: 5,
  jpegHeight: 6,
  precision: 7,
} as const;
const tjPixelFormatRgb = 0;
/** TJSAMP values of the chroma subsamplings the encoder is asked for (sharp's names). */
const tjSubsampling = { '4:4:4': 0, '4:2:0': 2 } as const;

export interface TurboJpegEncoding {
  readonly quality: number;
  readonly chromaSubsampling: keyof typeof tjSubsampling;
}

export interface TurboJpeg {
  /** Where the library was loaded from, for the start-up log. */
  readonly library: string;
  /**
   * Decodes an 8-bit JPEG into `target` as RGB, exactly `width` x `height` (the header must agree).
   * Warnings (a truncated file, for one) are failures: the caller falls back to sharp, whose rules for
   * damaged files then decide.
   */
  decodeInto(jpeg: Uint8Array, target: Uint8Array, width: number, height: number): Promise<void>;
  /** Encodes RGB pixels as a baseline JPEG (no Huffman optimisation); the bytes returned are the caller's. */
  encode(rgb: Uint8Array, width: number, height: number, encoding: TurboJpegEncoding): Promise<Buffer>;
}

export type TurboJpegLoad =
  | { readonly available: true; readonly codec: TurboJpeg }
  | { readonly available: false; readonly reason: string };

let loaded: TurboJpegLoad | undefined;

/** The library, loaded once per process; unavailable (with the reason) where it does not ship. */
export function loadTurboJpeg(): TurboJpegLoad {
  loaded ??= tryLoad();
  return loaded;
}

function tryLoad(): TurboJpegLoad {
  try {
    const library = findLibrary();
    if (!library) {
      return {
        available: false,
        reason: `no prebuilt libturbojpeg for ${platformFolder()} in @julusian/jpeg-turbo (Linux only)`,
      };
    }
    return { available: true, codec: bind(library) };
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

function platformFolder(): string {
  const musl = process.platform === 'linux' && !glibcRuntime();
  return `jpeg-turbo-${process.platform}-${process.arch}${musl ? '-musl' : ''}`;
}

function glibcRuntime(): boolean {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return typeof report?.header?.glibcVersionRuntime === 'string';
}

function findLibrary(): string | undefined {
  const require = createRequire(import.meta.url);
  const folder = join(
    dirname(require.resolve('@julusian/jpeg-turbo/package.json')),
    'prebuilds',
    platformFolder(),
  );
  let files: string[];
  try {
    files = readdirSync(folder);
  } catch {
    return undefined;
  }
  const file = files.find((name) => name.startsWith('libturbojpeg.so'));
  return file ? join(folder, file) : undefined;
}

/** A compressor handle with the native output buffer it encodes into (reused, grown when needed). */
interface Compressor {
  readonly handle: unknown;
  output: unknown;
  capacity: number;
  /** `unsigned char **jpegBuf` and `size_t *jpegSize`, as one-element arrays TurboJPEG reads and writes. */
  readonly outputAddress: BigUint64Array;
  readonly outputSize: BigUint64Array;
}

function bind(path: string): TurboJpeg {
  const lib = koffi.load(path);
  const init = lib.func('void *tj3Init(int initType)');
  const set = lib.func('int tj3Set(void *handle, int param, int value)');
  const get = lib.func('int tj3Get(void *handle, int param)');
  const errorText = lib.func('const char *tj3GetErrorStr(void *handle)');
  const bufferSize = lib.func('size_t tj3JPEGBufSize(int width, int height, int subsampling)');
  const readHeader = lib.func('int tj3DecompressHeader(void *handle, const uint8_t *jpeg, size_t size)');
  const decompress = promisify(
    lib.func(
      'int tj3Decompress8(void *handle, const uint8_t *jpeg, size_t size, uint8_t *pixels, int pitch, int format)',
    ).async,
  );
  const compress = promisify(
    lib.func(
      'int tj3Compress8(void *handle, const uint8_t *pixels, int width, int pitch, int height, int format, void *jpeg, void *size)',
    ).async,
  );

  // A handle serves one call at a time; calls in flight each take their own from these free lists.
  const decompressors: unknown[] = [];
  const compressors: Compressor[] = [];
  // koffi passes a buffer's memory to a call on libuv's pool without holding the buffer: these hold
  // every buffer a call in flight reads or writes, so the garbage collector cannot free it meanwhile.
  // Counted, as two calls in flight may share a buffer (the same upload decoded twice).
  const heldByCalls = new Map<ArrayBufferView, number>();
  const whileHeld = async (
    buffers: readonly ArrayBufferView[],
    call: () => Promise<unknown>,
  ): Promise<number> => {
    for (const buffer of buffers) heldByCalls.set(buffer, (heldByCalls.get(buffer) ?? 0) + 1);
    try {
      return Number(await call());
    } finally {
      for (const buffer of buffers) {
        const count = (heldByCalls.get(buffer) ?? 1) - 1;
        if (count > 0) heldByCalls.set(buffer, count);
        else heldByCalls.delete(buffer);
      }
    }
  };

  const check = (handle: unknown, code: number, what: string) => {
    if (code !== 0) throw new Error(`libjpeg-turbo ${what}: ${errorText(handle)}`);
  };
  /** A handle with the settings every call of its kind shares, set once. */
  const newHandle = (kind: number, param: number) => {
    const handle = init(kind);
    if (!handle) throw new Error('tj3Init failed');
    // Decoding: a warning stops the call, so the image goes to sharp. Encoding: into our buffer only.
    check(handle, set(handle, param, 1), 'settings');
    return handle;
  };

  return {
    library: path,
    async decodeInto(jpeg, target, width, height) {
      const handle = decompressors.pop() ?? newHandle(tjInit.decompress, tjParam.stopOnWarning);
      try {
        check(handle, readHeader(handle, jpeg, jpeg.length), 'header');
        const found = { width: get(handle, tjParam.jpegWidth), height: get(handle, tjParam.jpegHeight) };
        if (found.width !== width || found.height !== height) {
          throw new Error(`the JPEG is ${found.width}x${found.height}, expected ${width}x${height}`);
        }
        if (get(handle, tjParam.precision) !== 8) throw new Error('not an 8-bit JPEG');
        if (target.length < width * height * 3) throw new Error('the target buffer is too small');
        const code = await whileHeld([jpeg, target], () =>
          decompress(handle, jpeg, jpeg.length, target, 0, tjPixelFormatRgb),
        );
        check(handle, code, 'decode');
      } finally {
        decompressors.push(handle);
      }
    },
    async encode(rgb, width, height, encoding) {
      const compressor = compressors.pop() ?? {
        handle: newHandle(tjInit.compress, tjParam.noRealloc),
        output: undefined,
        capacity: 0,
        outputAddress: new BigUint64Array(1),
        outputSize: new BigUint64Array(1),
      };
      try {
        const { handle } = compressor;
        const subsampling = tjSubsampling[encoding.chromaSubsampling];
        check(handle, set(handle, tjParam.quality, encoding.quality), 'settings');
        check(handle, set(handle, tjParam.subsampling, subsampling), 'settings');
        const needed = Number(bufferSize(width, height, subsampling));
        if (compressor.capacity < needed) {
          if (compressor.output) koffi.free(compressor.output);
          compressor.output = undefined;
          compressor.capacity = 0;
          // Untouched pages of this worst-case buffer cost no memory; only what encodes into it does.
          compressor.output = koffi.alloc('uint8_t', needed);
          compressor.capacity = needed;
        }
        compressor.outputAddress[0] = BigInt(koffi.address(compressor.output));
        compressor.outputSize[0] = BigInt(compressor.capacity);
        const code = await whileHeld([rgb], () =>
          compress(
            handle,
            rgb,
            width,
            0,
            height,
            tjPixelFormatRgb,
            compressor.outputAddress,
            compressor.outputSize,
          ),
        );
        check(handle, code, 'encode');
        const size = Number(compressor.outputSize[0]);
        // A copy the caller keeps (it goes to S3 after this buffer has encoded the next image).
        return Buffer.from(new Uint8Array(koffi.view(compressor.output, size)));
      } finally {
        compressors.push(compressor);
      }
    },
  };
}
