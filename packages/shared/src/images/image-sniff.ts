import type { ImageContentType } from '../contracts/image-types.ts';

/** Bytes needed to tell every supported format apart. */
export const sniffBytes = 32;

const ascii = (bytes: Uint8Array, start: number, end: number): string =>
  String.fromCharCode(...bytes.subarray(start, end));

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  signature.every((byte, index) => bytes[offset + index] === byte);

const avifBrands = new Set(['avif', 'avis']);
const heicBrands = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1']);

/**
 * The image type told by the file's magic numbers, or undefined for anything else. Never looks at the
 * client's filename or Content-Type. ISO-BMFF files (AVIF, HEIC) are told by their `ftyp` brands, where
 * an AVIF brand anywhere wins over the generic `mif1`.
 */
export function sniffImageType(head: Uint8Array): ImageContentType | undefined {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (head.length >= 6 && ['GIF87a', 'GIF89a'].includes(ascii(head, 0, 6))) return 'image/gif';
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image/webp';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) {
    return 'image/tiff';
  }
  if (head.length >= 12 && ascii(head, 4, 8) === 'ftyp') {
    const boxSize = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(0);
    const brands = [ascii(head, 8, 12)];
    for (let offset = 16; offset + 4 <= Math.min(boxSize, head.length); offset += 4) {
      brands.push(ascii(head, offset, offset + 4));
    }
    if (brands.some((brand) => avifBrands.has(brand))) return 'image/avif';
    if (brands.some((brand) => heicBrands.has(brand))) return 'image/heic';
  }
  return undefined;
}
