/**
 * Image bytes for tests and benchmarks, built by hand: real headers (what the API reads) followed by
 * filler. They are not decodable pictures; the API never decodes, the processor's tests use real ones.
 */

/** A baseline JPEG header (SOI, JFIF APP0, SOF0) for width x height, padded with entropy-like bytes to `bytes`. */
export function jpegBytes(options: { width?: number; height?: number; bytes?: number } = {}): Buffer {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const app0 = Buffer.from([
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
    0x00,
  ]);
  const sof0 = Buffer.from([
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
    0x01,
    0x22,
    0x00,
    0x02,
    0x11,
    0x01,
    0x03,
    0x11,
    0x01,
  ]);
  const head = Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof0]);
  const total = Math.max(options.bytes ?? 2048, head.length + 2);
  const body = Buffer.alloc(total - head.length - 2);
  fillPseudoRandom(body);
  return Buffer.concat([head, body, Buffer.from([0xff, 0xd9])]);
}

/** A PNG signature and IHDR for width x height (e.g. a 100000 x 100000 "bomb"), padded to `bytes`. */
export function pngBytes(options: { width?: number; height?: number; bytes?: number } = {}): Buffer {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'ascii');
  ihdr.writeUInt32BE(options.width ?? 64, 8);
  ihdr.writeUInt32BE(options.height ?? 64, 12);
  ihdr.writeUInt8(8, 16);
  ihdr.writeUInt8(2, 17);
  const head = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]);
  const filler = Buffer.alloc(Math.max(0, (options.bytes ?? 256) - head.length));
  fillPseudoRandom(filler);
  return Buffer.concat([head, filler]);
}

/** GIF89a header for width x height. */
export function gifBytes(width = 10, height = 10): Buffer {
  const head = Buffer.alloc(13);
  head.write('GIF89a', 0, 'ascii');
  head.writeUInt16LE(width, 6);
  head.writeUInt16LE(height, 8);
  return Buffer.concat([head, Buffer.alloc(64), Buffer.from([0x3b])]);
}

/** Deterministic filler that does not compress away (xorshift), never containing a JPEG marker run. */
export function fillPseudoRandom(target: Buffer, seed = 0x9e3779b9): void {
  let state = seed >>> 0;
  for (let index = 0; index < target.length; index += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    target[index] = state & 0xfe;
  }
}

/**
 * An 8-bit grey TIFF as libtiff writes it: the header, the pixels, then the image directory at the end
 * (so its dimensions come last). `pixelBytes` (default width x height) lets a header claim more pixels
 * than the file carries, like a decompression bomb; `directoryOffset` overrides where the header points.
 */
export function tiffBytes(
  options: {
    width?: number;
    height?: number;
    order?: 'II' | 'MM';
    pixelBytes?: number;
    directoryOffset?: number;
  } = {},
): Buffer {
  const width = options.width ?? 64;
  const height = options.height ?? 64;
  const littleEndian = (options.order ?? 'II') === 'II';
  const pixels = Buffer.alloc(options.pixelBytes ?? width * height);
  fillPseudoRandom(pixels);
  const offset = 8 + pixels.length + (pixels.length % 2);
  const short = 3;
  const long = 4;
  const entries: [tag: number, type: number, value: number][] = [
    [256, long, width],
    [257, long, height],
    [258, short, 8],
    [259, short, 1],
    [262, short, 1],
    [273, long, 8],
    [277, short, 1],
    [278, long, height],
    [279, long, pixels.length],
  ];
  const directory = Buffer.alloc(2 + entries.length * 12 + 4);
  const u16 = (value: number, at: number, target: Buffer) =>
    littleEndian ? target.writeUInt16LE(value, at) : target.writeUInt16BE(value, at);
  const u32 = (value: number, at: number, target: Buffer) =>
    littleEndian ? target.writeUInt32LE(value, at) : target.writeUInt32BE(value, at);
  u16(entries.length, 0, directory);
  entries.forEach(([tag, type, value], index) => {
    const at = 2 + index * 12;
    u16(tag, at, directory);
    u16(type, at + 2, directory);
    u32(1, at + 4, directory);
    if (type === short) u16(value, at + 8, directory);
    else u32(value, at + 8, directory);
  });
  const header = Buffer.alloc(8);
  header.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
  u16(42, 2, header);
  u32(options.directoryOffset ?? offset, 4, header);
  return Buffer.concat([header, pixels, Buffer.alloc(pixels.length % 2), directory]);
}
