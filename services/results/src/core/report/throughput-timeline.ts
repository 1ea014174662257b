/** Results written per time bin: the pipeline's throughput over the report's span. */
export interface ThroughputTimeline {
  /** Width of one bin: 1 minute, or wider when the span would need more than `maxBins` bins. */
  readonly binMinutes: number;
  readonly bins: readonly ThroughputBin[];
}

export interface ThroughputBin {
  /** Start of the bin (ISO, UTC). */
  readonly start: string;
  /** Rows whose result was written in the bin. */
  readonly rows: number;
  /** rows / binMinutes. */
  readonly rowsPerMinute: number;
}

export const maxThroughputBins = 120;
const minuteMs = 60_000;
/** Bin widths in minutes, smallest first; a span of more than 120 days uses whole days. */
const binWidthsMinutes = [1, 2, 5, 10, 15, 30, 60, 120, 240, 360, 720, 1440] as const;

/** Bins rows by when their result was written (processedAt), empty bins included, aligned to UTC. */
export function throughputTimeline(processedAt: readonly string[]): ThroughputTimeline {
  const times = processedAt.map((iso) => Date.parse(iso)).filter(Number.isFinite);
  if (times.length === 0) return { binMinutes: 1, bins: [] };
  const first = Math.min(...times);
  const last = Math.max(...times);
  const spanMinutes = Math.floor(last / minuteMs) - Math.floor(first / minuteMs) + 1;
  const binMinutes =
    binWidthsMinutes.find((width) => Math.ceil(spanMinutes / width) < maxThroughputBins) ??
    1440 * Math.ceil(spanMinutes / 1440 / maxThroughputBins);
  const binMs = binMinutes * minuteMs;
  const start = Math.floor(first / binMs) * binMs;
  const counts = new Array<number>(Math.floor((last - start) / binMs) + 1).fill(0);
  for (const time of times) {
    const index = Math.floor((time - start) / binMs);
    counts[index] = (counts[index] ?? 0) + 1;
  }
  return {
    binMinutes,
    bins: counts.map((rows, index) => ({
      start: new Date(start + index * binMs).toISOString(),
      rows,
      rowsPerMinute: Math.round((rows / binMinutes) * 100) / 100,
    })),
  };
}
