import type { NodeResult, SimResult } from '../../sim/scenario/run.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { percentile } from '../../sim/stats.js';
import { CI_METHOD, ecdf, spread, thin, type Spread } from '../stats/aggregate.js';
import type { Job, Strategy } from './matrix.js';

/** The per-run numbers a comparison aggregates across seeds. */
export interface RunMetrics {
  seed: number;
  completionP50: number;
  completionP90: number;
  /** When the last leecher finished (s from its arrival) — the tail the last-pieces problem stretches. */
  completionMax: number;
  completedFrac: number;
  uploadUtilisation: number;
  seederCopies: number;
  fairness: number;
  shareP50: number;
  simSeconds: number;
  /** Per strategy group inside the swarm (mixed swarms): median completion, share completed, mean share ratio. */
  groups: Record<string, { n: number; completedFrac: number; p50: number; meanShare: number }>;
}

export type MetricId = Exclude<keyof RunMetrics, 'seed' | 'groups'>;

export interface MetricInfo { id: MetricId; label: string; unit: string; better: 'lower' | 'higher' }

/** The metrics a report tabulates, with units and which direction is better. */
export const METRICS: MetricInfo[] = [
  { id: 'completionP50', label: 'median download time', unit: 's', better: 'lower' },
  { id: 'completionP90', label: 'p90 download time', unit: 's', better: 'lower' },
  { id: 'completionMax', label: 'last download time', unit: 's', better: 'lower' },
  { id: 'completedFrac', label: 'leechers completed', unit: 'fraction', better: 'higher' },
  { id: 'uploadUtilisation', label: 'upload utilisation', unit: 'fraction of capacity', better: 'higher' },
  { id: 'seederCopies', label: 'seeder load', unit: 'copies of the file', better: 'lower' },
  { id: 'fairness', label: "Jain's fairness of share ratios", unit: 'index', better: 'higher' },
  { id: 'shareP50', label: 'median share ratio', unit: 'up/down', better: 'higher' },
  { id: 'simSeconds', label: 'swarm lifetime', unit: 's', better: 'lower' },
];

/** Mean swarm time series across runs, on the common sample grid. */
export interface Series {
  t: number[];
  meanProgress: number[];
  completedFrac: number[];
  availMin: number[];
  availMean: number[];
  uploadBps: number[];
  /** How many runs were still going at each t (later points rest on fewer runs). */
  runs: number[];
}

export interface StrategyData extends Strategy {
  runs: RunMetrics[];
  metrics: Record<MetricId, Spread>;
  /** Download times pooled over all runs: CDF over ALL leechers (unfinished ones keep it below 1). */
  cdf: { x: number; y: number }[];
  /** Share ratios pooled over all runs (leechers that downloaded something). */
  shareCdf: { x: number; y: number }[];
  /** Seconds each peer spent unchoked by others, pooled — only when the engine reports it (NodeResult.unchokedSec). */
  unchokeCdf: { x: number; y: number }[] | null;
  series: Series;
  /** Median completion per group (mixed swarms), spread across runs. */
  groups: Record<string, { p50: Spread; completedFrac: Spread; meanShare: Spread }>;
}

export interface CompareData {
  kind: 'bt-lab/compare';
  version: 1;
  /** Report title given to `compare --title` (kept so `bt-lab report` re-renders the same page). */
  title?: string;
  method: string;
  /** The scenario of the first job (seed, picker and choker vary per run). */
  base: Scenario;
  seeds: number[];
  strategies: StrategyData[];
}

const r6 = (x: number) => (Number.isFinite(x) ? Number(x.toFixed(6)) : x);
const groupOf = (n: NodeResult) => (n.freeRider ? 'freerider' : `${n.picker}/${n.choker}`);
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);

/** Metrics of one run (pure: a function of the SimResult alone). */
export function runMetrics(r: SimResult): RunMetrics {
  const leechers = r.nodes.filter((n) => n.role === 'leecher');
  const groups: RunMetrics['groups'] = {};
  const keys = [...new Set(leechers.map(groupOf))].sort();
  for (const k of keys) {
    const m = leechers.filter((n) => groupOf(n) === k);
    const times = m.filter((n) => n.completedAt !== null).map((n) => n.completedAt!);
    const shares = m.filter((n) => n.downloaded > 0).map((n) => n.uploaded / n.downloaded);
    groups[k] = { n: m.length, completedFrac: r6(times.length / m.length), p50: r6(percentile(times, 50)), meanShare: r6(mean(shares)) };
  }
  const s = r.summary;
  return {
    seed: r.scenario.seed,
    completionP50: s.completion.p50,
    completionP90: s.completion.p90,
    completionMax: s.completion.max,
    completedFrac: r6(s.leechers ? s.completed / s.leechers : NaN),
    uploadUtilisation: s.uploadUtilisation,
    seederCopies: s.seederCopies,
    fairness: s.fairness,
    shareP50: s.shareRatio.p50,
    simSeconds: r.simSeconds,
    groups,
  };
}

/** Average the runs' samples on the shared grid (all runs of a strategy share sampleEverySec). */
export function meanSeries(results: readonly SimResult[]): Series {
  const len = Math.max(0, ...results.map((r) => r.samples.length));
  const out: Series = { t: [], meanProgress: [], completedFrac: [], availMin: [], availMean: [], uploadBps: [], runs: [] };
  for (let k = 0; k < len; k++) {
    let prog = 0, comp = 0, amin = 0, amean = 0, up = 0, active = 0;
    for (const r of results) {
      const leechers = Math.max(1, r.summary.leechers);
      const last = r.samples[r.samples.length - 1];
      const s = r.samples[k];
      // A finished run keeps its final progress (the swarm is done); availability and upload
      // rate are averaged over the runs still going only — an ended swarm has no pieces online.
      prog += (s ?? last)?.meanProgress ?? 0;
      comp += ((s ?? last)?.completed ?? 0) / leechers;
      if (s) { active++; amin += s.availMin; amean += s.availMean; up += s.uploadBps; }
    }
    const n = results.length;
    const t = results.find((r) => r.samples[k])!.samples[k].t;
    out.t.push(t);
    out.meanProgress.push(r6(prog / n));
    out.completedFrac.push(r6(comp / n));
    out.availMin.push(r6(amin / Math.max(1, active)));
    out.availMean.push(r6(amean / Math.max(1, active)));
    out.uploadBps.push(Math.round(up / Math.max(1, active)));
    out.runs.push(active);
  }
  return out;
}

const CDF_POINTS = 400;

/** Aggregate the results of a matrix (results[i] belongs to jobs[i]). Deterministic. */
export function aggregateCompare(jobs: readonly Job[], results: readonly SimResult[]): CompareData {
  const keys = [...new Set(jobs.map((j) => j.strategy.key))];
  const strategies: StrategyData[] = keys.map((key) => {
    const idx = jobs.map((j, i) => (j.strategy.key === key ? i : -1)).filter((i) => i >= 0);
    const rs = idx.map((i) => results[i]);
    const runs = rs.map(runMetrics);
    const metrics = Object.fromEntries(METRICS.map((m) => [m.id, roundSpread(spread(runs.map((r) => r[m.id])))])) as Record<MetricId, Spread>;
    const leechers = rs.flatMap((r) => r.nodes.filter((n) => n.role === 'leecher'));
    const times = leechers.filter((n) => n.completedAt !== null).map((n) => n.completedAt!);
    const shares = leechers.filter((n) => n.downloaded > 0).map((n) => n.uploaded / n.downloaded);
    const unchoke = leechers.map((n) => n.unchokedSec).filter((x): x is number => typeof x === 'number');
    const groupKeys = [...new Set(runs.flatMap((r) => Object.keys(r.groups)))].sort();
    const groups = Object.fromEntries(groupKeys.map((g) => {
      const per = runs.map((r) => r.groups[g]).filter(Boolean);
      return [g, { p50: roundSpread(spread(per.map((x) => x.p50))), completedFrac: roundSpread(spread(per.map((x) => x.completedFrac))), meanShare: roundSpread(spread(per.map((x) => x.meanShare))) }];
    }));
    const st = jobs[idx[0]].strategy;
    return {
      key, picker: st.picker, choker: st.choker, runs, metrics,
      cdf: thin(ecdf(times, leechers.length), CDF_POINTS).map(roundPt),
      shareCdf: thin(ecdf(shares), CDF_POINTS).map(roundPt),
      unchokeCdf: unchoke.length ? thin(ecdf(unchoke), CDF_POINTS).map(roundPt) : null,
      series: meanSeries(rs),
      groups,
    };
  });
  return { kind: 'bt-lab/compare', version: 1, method: CI_METHOD, base: jobs[0].scenario, seeds: [...new Set(jobs.map((j) => j.seed))], strategies };
}

const roundPt = (p: { x: number; y: number }) => ({ x: r6(p.x), y: r6(p.y) });
const roundSpread = (s: Spread): Spread => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, r6(v)])) as unknown as Spread;
