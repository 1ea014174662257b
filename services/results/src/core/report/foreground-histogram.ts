/** One bar of the foreground-ratio distribution: images whose ratio is in [minRatio, maxRatio). */
export interface ForegroundBin {
  readonly label: string;
  readonly minRatio: number;
  /** The last bin includes 1 (all foreground). */
  readonly maxRatio: number;
  readonly count: number;
}

const binCount = 10;

/** Ten bins of ten percentage points: 0–10%, 10–20%, … 90–100% (100% in the last). */
export function foregroundHistogram(ratios: readonly number[]): ForegroundBin[] {
  const bins = Array.from({ length: binCount }, (_, index) => ({
    label: `${index * 10}–${(index + 1) * 10}%`,
    minRatio: index / binCount,
    maxRatio: (index + 1) / binCount,
    count: 0,
  }));
  for (const ratio of ratios) {
    // Integer percentage points first, so 0.3 (29.999…% in floating point) lands in 30–40%.
    const index = Math.min(binCount - 1, Math.max(0, Math.floor(Math.round(ratio * 1000) / 100)));
    const bin = bins[index];
    if (bin) bin.count += 1;
  }
  return bins;
}
