/** One bar of the area distribution: images whose area is in [minPx, maxPx). */
export interface AreaBin {
  readonly label: string;
  readonly minPx: number;
  /** null for the open-ended last bin. */
  readonly maxPx: number | null;
  readonly count: number;
}

const megapixel = 1_000_000;

/** Bin edges in megapixels: thumbnails, web images, phone photos, camera photos and above. */
export const areaBinEdgesMegapixels = [0, 0.1, 0.5, 1, 2, 4, 8, 16, 32] as const;

export function areaHistogram(areasPx: readonly number[]): AreaBin[] {
  const edges = areaBinEdgesMegapixels.map((mp) => mp * megapixel);
  const bins = edges.map((minPx, index) => {
    const maxPx = edges[index + 1] ?? null;
    return { label: binLabel(minPx, maxPx), minPx, maxPx, count: 0 };
  });
  for (const area of areasPx) {
    const index = bins.findLastIndex((bin) => area >= bin.minPx);
    const bin = bins[Math.max(0, index)];
    if (bin) bin.count += 1;
  }
  return bins;
}

function binLabel(minPx: number, maxPx: number | null): string {
  const mp = (px: number) => `${px / megapixel}`;
  if (maxPx === null) return `≥${mp(minPx)} MP`;
  if (minPx === 0) return `<${mp(maxPx)} MP`;
  return `${mp(minPx)}–${mp(maxPx)} MP`;
}
