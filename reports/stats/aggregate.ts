import { percentileSorted } from '../../sim/stats.js';
import { seededRandom } from '../../core/util/prng.js';

/**
 * Aggregation of one metric across independent runs (one per seed). Quantiles use the same
 * nearest-rank rule as sim/stats.ts so a report never disagrees with `bt-lab sim`.
 *
 * The 95 % confidence interval is a PERCENTILE BOOTSTRAP of the median: resample the runs with
 * replacement B times, take the median of each resample, report the 2.5th and 97.5th
 * percentiles of those medians. It assumes nothing about the shape of the distribution (swarm
 * completion times are skewed), and because the resampling stream is a fixed seed the
 * interval is reproducible: same runs → same interval, bit for bit. With few runs (n < 5) the
 * interval is necessarily coarse — the report says how many runs it rests on.
 */
export interface Spread {
  n: number;
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
  mean: number;
  /** 95 % percentile-bootstrap confidence interval of the median. */
  ciLow: number;
  ciHigh: number;
}

export const BOOTSTRAP_RESAMPLES = 2000;
export const BOOTSTRAP_SEED = 0x5eed;
export const CI_METHOD = `95 % percentile-bootstrap CI of the median (${BOOTSTRAP_RESAMPLES} resamples, fixed seed ${BOOTSTRAP_SEED}); quartiles by nearest rank`;

const sortedFinite = (xs: readonly number[]) => Float64Array.from(xs.filter((x) => Number.isFinite(x))).sort();

/** Median/quartiles/bootstrap CI of the finite values (NaN/±Infinity are dropped: a run that has no value for the metric). */
export function spread(values: readonly number[], resamples = BOOTSTRAP_RESAMPLES, seed = BOOTSTRAP_SEED): Spread {
  const s = sortedFinite(values);
  const n = s.length;
  if (n === 0) return { n: 0, median: NaN, q1: NaN, q3: NaN, min: NaN, max: NaN, mean: NaN, ciLow: NaN, ciHigh: NaN };
  let sum = 0;
  for (const x of s) sum += x;
  const [ciLow, ciHigh] = bootstrapMedianCI(s, resamples, seed);
  return {
    n, median: percentileSorted(s, 50), q1: percentileSorted(s, 25), q3: percentileSorted(s, 75),
    min: s[0], max: s[n - 1], mean: sum / n, ciLow, ciHigh,
  };
}

/** [low, high] of the 95 % percentile bootstrap of the median, over an ascending array. */
export function bootstrapMedianCI(sorted: ArrayLike<number>, resamples = BOOTSTRAP_RESAMPLES, seed = BOOTSTRAP_SEED): [number, number] {
  const n = sorted.length;
  if (n === 0) return [NaN, NaN];
  if (n === 1) return [sorted[0], sorted[0]];
  const rng = seededRandom(seed);
  const medians = new Float64Array(resamples);
  // Resampling indices of a sorted array: sorting the drawn indices sorts the values too.
  const idx = new Uint32Array(n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) idx[i] = rng.int(n);
    idx.sort();
    medians[b] = sorted[idx[Math.max(1, Math.ceil(n / 2)) - 1]];
  }
  medians.sort();
  return [percentileSorted(medians, 2.5), percentileSorted(medians, 97.5)];
}

/** Empirical CDF as step points (x ascending, y = fraction of `total` at or below x). `total` ≥ values.length lets unfinished peers keep the curve below 1. */
export function ecdf(values: readonly number[], total = values.length): { x: number; y: number }[] {
  const s = sortedFinite(values);
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < s.length; i++) {
    if (i + 1 < s.length && s[i + 1] === s[i]) continue;
    out.push({ x: s[i], y: (i + 1) / Math.max(1, total) });
  }
  return out;
}

/** Thin an ascending point list to at most `max` points (keeps first and last), so charts and JSON stay small. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return points.slice();
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]);
  return out;
}
