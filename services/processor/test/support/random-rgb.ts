/** A deterministic pseudo-random RGB image (xorshift), so failures reproduce. */
export function randomRgb(width: number, height: number, seed: number): Uint8Array {
  const pixels = new Uint8Array(width * height * 3);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < pixels.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[i] = (state >>> 0) & 0xff;
  }
  return pixels;
}

/** The documented mask rule: every inverted channel >= 128, i.e. every original channel <= 127. */
export function expectedForeground(rgb: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < rgb.length; i += 3) {
    if ((rgb[i] ?? 255) <= 127 && (rgb[i + 1] ?? 255) <= 127 && (rgb[i + 2] ?? 255) <= 127) count++;
  }
  return count;
}
