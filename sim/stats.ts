/**
 * Summary statistics for simulation results. Pure functions over plain arrays, with one
 * documented definition each, so two reports computed from the same run always agree.
 */

/**
 * Percentile by the NEAREST-RANK method: sort ascending, take the value at rank
 * ceil(p/100 · n) (1-based), with p = 0 giving the minimum. The answer is always one of the
 * observed values (no interpolation), which keeps reports reproducible and honest for the
 * small samples simulations often give. NaN for an empty sample.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile p must be in [0, 100], got ${p}`);
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return percentileSorted(sorted, p);
}

/** As percentile() on an already ascending array (no copy). */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  return sorted[Math.min(n, rank) - 1];
}

export interface Summary {
  n: number;
  min: number;
  p10: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** n, min, p10/p50/p90/p99 (nearest rank), max, mean. All NaN (n = 0) for an empty sample. */
export function summarize(values: readonly number[]): Summary {
  const n = values.length;
  if (n === 0) return { n: 0, min: NaN, p10: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  const s = Float64Array.from(values).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += s[i];
  return {
    n, min: s[0], max: s[n - 1], mean: sum / n,
    p10: percentileSorted(s, 10), p50: percentileSorted(s, 50), p90: percentileSorted(s, 90), p99: percentileSorted(s, 99),
  };
}

/**
 * Jain's fairness index (Jain, Chiu, Hawe 1984): (Σx)² / (n · Σx²). 1 when all equal, 1/n
 * when one gets everything. Defined as 1 for an all-zero sample (nobody is treated worse) and
 * NaN for an empty one. Inputs must be non-negative.
 */
export function jainIndex(values: readonly number[]): number {
  const n = values.length;
  if (n === 0) return NaN;
  let s = 0, s2 = 0;
  for (const x of values) {
    if (x < 0) throw new RangeError('jainIndex needs non-negative values');
    s += x; s2 += x * x;
  }
  return s2 === 0 ? 1 : (s * s) / (n * s2);
}

/**
 * Share ratio = uploaded / downloaded. A node that downloaded nothing has ratio Infinity if
 * it uploaded something (a pure seed) and NaN if it did neither.
 */
export function shareRatio(uploaded: number, downloaded: number): number {
  if (downloaded === 0) return uploaded === 0 ? NaN : Infinity;
  return uploaded / downloaded;
}

/** Share ratios of many nodes, in input order. */
export function shareRatios(nodes: readonly { up: number; down: number }[]): number[] {
  return nodes.map((x) => shareRatio(x.up, x.down));
}

/** Fixed-decimal text without locale (for reports and trace-adjacent files). */
export function fixed(x: number, decimals = 3): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  const s = x.toFixed(decimals);
  return s === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : s;
}
