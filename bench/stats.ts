// Statistics over timing samples: percentiles, summaries and ratios against a baseline.

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

// Nearest-rank percentile of an ascending array (p in 0..100); NaN for no samples.
function pickPercentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

// Summarise samples: count, min, p50, p95, p99, max and mean, rounded to 0.1.
export function summarize(samples: number[]): Summary {
  const sorted = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const round = (x: number): number => Math.round(x * 10) / 10;
  const mean = sorted.length ? sorted.reduce((a, b) => a + b, 0) / sorted.length : Number.NaN;
  return {
    n: sorted.length,
    min: round(sorted[0] ?? Number.NaN),
    p50: round(pickPercentile(sorted, 50)),
    p95: round(pickPercentile(sorted, 95)),
    p99: round(pickPercentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(mean),
  };
}

// value / baseline rounded to 0.01, or null when either is missing or the baseline is 0.
export function computeRatio(value: number | undefined, baseline: number | undefined): number | null {
  if (value === undefined || baseline === undefined || !Number.isFinite(value) || !Number.isFinite(baseline))
    return null;
  if (baseline === 0) return null;
  return Math.round((value / baseline) * 100) / 100;
}
