import { sniffImageType } from '@photo-pipeline/shared/images';
import { gifBytes, jpegBytes, pngBytes } from '@photo-pipeline/test-support/image-builders';
import { describe, expect, it } from 'vitest';
import { readDimensions } from '../../src/core/upload/image-dimensions.ts';

const ftyp = (major: string, ...compatible: string[]) => {
  const brands = [major, '\0\0\0\0', ...compatible].join('');
  const box = Buffer.alloc(8 + brands.length);
  box.writeUInt32BE(box.length, 0);
  box.write('ftyp', 4, 'ascii');
  box.write(brands, 8, 'latin1');
  return Buffer.concat([box, Buffer.alloc(32)]);
};

describe('sniffImageType', () => {
  it.each([
    ['JPEG', jpegBytes(), 'image/jpeg'],
    ['PNG', pngBytes(), 'image/png'],
    ['GIF', gifBytes(), 'image/gif'],
    ['WebP', Buffer.from('RIFF\x10\0\0\0WEBPVP8 ', 'latin1'), 'image/webp'],
    ['little-endian TIFF', Buffer.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]), 'image/tiff'],
    ['big-endian TIFF', Buffer.from([0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8]), 'image/tiff'],
    ['AVIF', ftyp('avif', 'mif1', 'miaf'), 'image/avif'],
    ['AVIF under a generic mif1 brand', ftyp('mif1', 'avif'), 'image/avif'],
    ['HEIC', ftyp('heic', 'mif1'), 'image/heic'],
  ])('tells %s from its magic numbers', (_name, bytes, type) => {
    expect(sniffImageType(bytes)).toBe(type);
  });

  it.each([
    ['text', Buffer.from('hello, I am a JPEG, honestly')],
    ['a PDF', Buffer.from('%PDF-1.7\n%')],
    ['an MP4 video', ftyp('isom', 'mp41')],
    ['nothing', Buffer.alloc(0)],
  ])('does not take %s for an image', (_name, bytes) => {
    expect(sniffImageType(bytes)).toBeUndefined();
  });
});

describe('readDimensions', () => {
  it('reads width and height from the headers of JPEG, PNG and GIF', () => {
    expect(readDimensions(jpegBytes({ width: 4000, height: 3000 }))).toEqual({ width: 4000, height: 3000 });
    expect(readDimensions(pngBytes({ width: 100_000, height: 100_000 }))).toEqual({
      width: 100_000,
      height: 100_000,
    });
    expect(readDimensions(gifBytes(7, 9))).toEqual({ width: 7, height: 9 });
  });

  it('answers undefined while the header has not fully arrived', () => {
    expect(readDimensions(jpegBytes().subarray(0, 10))).toBeUndefined();
    expect(readDimensions(pngBytes().subarray(0, 12))).toBeUndefined();
  });
});
