import type { CompareData, MetricId, StrategyData } from '../compare/aggregate.js';
import { barChart, lineChart, type ChartSpec, type LineSeries, type Pt } from './spec.js';

const zip = (t: number[], ys: number[]): Pt[] => t.map((x, i) => ({ x, y: ys[i] }));
/** JSON turns NaN into null; charts and tables treat both as "no value". */
export const num = (v: number | null | undefined) => (typeof v === 'number' ? v : NaN);

function metricBar(d: CompareData, id: MetricId, o: { file: string; title: string; y: string; caption: string; yMax?: number }): ChartSpec {
  const st = d.strategies;
  return {
    id: o.file, title: o.title, caption: o.caption,
    config: barChart({
      title: o.title, y: o.y, yMax: o.yMax,
      labels: st.map((s) => s.key),
      values: st.map((s) => num(s.metrics[id].median)),
      whiskers: st.map((s) => [num(s.metrics[id].ciLow), num(s.metrics[id].ciHigh)]),
      datasetLabel: `median over ${d.seeds.length} run(s) per strategy; whiskers: 95 % bootstrap CI of the median`,
    }),
  };
}

const twoPerStrategy = (st: StrategyData[], solid: (s: StrategyData) => Pt[], dashed: (s: StrategyData) => Pt[], a: string, b: string): LineSeries[] =>
  st.flatMap((s, i) => [
    { label: `${s.key} — ${a}`, points: solid(s), colourIndex: i, solid: true },
    { label: `${s.key} — ${b}`, points: dashed(s), colourIndex: i, dashed: true },
  ]);

/** Every chart of a comparison (or of a single sim run, which is a comparison of one). */
export function compareCharts(d: CompareData): ChartSpec[] {
  const st = d.strategies;
  const runs = `${d.seeds.length} run(s) per strategy`;
  const charts: ChartSpec[] = [
    {
      id: 'completion-cdf', title: 'Download-time CDF',
      caption: `Fraction of all leechers (pooled over ${runs}) that finished within x seconds of arriving. Curves further left are faster; a curve that stops below 1 left peers unfinished.`,
      config: lineChart({ title: 'Download-time CDF', x: 'download time since arrival (s)', y: 'fraction of leechers finished', yMin: 0, yMax: 1, xMin: 0, series: st.map((s, i) => ({ label: s.key, points: s.cdf, stepped: true, colourIndex: i })) }),
    },
    metricBar(d, 'completionP50', { file: 'completion-median', title: 'Median download time', y: 'seconds', caption: `Median (over runs) of each run's median download time; whiskers are the 95 % bootstrap confidence interval of that median.` }),
    {
      id: 'swarm-progress', title: 'Swarm progress over time',
      caption: `Solid: mean fraction of the file held by online leechers; dashed: fraction of leechers finished. Mean over ${runs}; a finished run keeps its final value.`,
      config: lineChart({ title: 'Swarm progress over time', x: 'simulated time (s)', y: 'fraction', yMin: 0, yMax: 1, xMin: 0, series: twoPerStrategy(st, (s) => zip(s.series.t, s.series.meanProgress), (s) => zip(s.series.t, s.series.completedFrac), 'mean progress', 'finished') }),
    },
    {
      id: 'piece-availability', title: 'Piece availability over time',
      caption: `Copies of a piece among online nodes (seeds included). Solid: mean over pieces; dashed: the rarest piece. A rarest piece near 1 copy for long is the last-pieces problem (only the seed has it). Mean over the ${runs} still running.`,
      config: lineChart({ title: 'Piece availability over time', x: 'simulated time (s)', y: 'copies among online nodes', yMin: 0, xMin: 0, series: twoPerStrategy(st, (s) => zip(s.series.t, s.series.availMean), (s) => zip(s.series.t, s.series.availMin), 'mean piece', 'rarest piece') }),
    },
    metricBar(d, 'uploadUtilisation', { file: 'upload-utilisation', title: 'Upload utilisation', y: 'fraction of leechers\' uplink capacity used', yMax: 1, caption: `Mean over leechers of uploaded bytes ÷ (uplink capacity × time online), per run; bars are the median over ${runs}, whiskers the 95 % CI.` }),
    {
      id: 'upload-rate', title: 'Swarm upload rate over time',
      caption: `Payload bytes uploaded per second by all nodes, mean over the ${runs} still running.`,
      config: lineChart({ title: 'Swarm upload rate over time', x: 'simulated time (s)', y: 'upload rate (MB/s)', yMin: 0, xMin: 0, series: st.map((s, i) => ({ label: s.key, points: zip(s.series.t, s.series.uploadBps.map((b) => b / 1e6)), colourIndex: i })) }),
    },
    {
      id: 'share-ratio-cdf', title: 'Share-ratio distribution',
      caption: `CDF of uploaded ÷ downloaded per leecher, pooled over ${runs}. Ratio 1 = gave as much as it took; the x axis is cut at 4.`,
      config: lineChart({ title: 'Share-ratio distribution', x: 'share ratio (uploaded / downloaded)', y: 'fraction of leechers', yMin: 0, yMax: 1, xMin: 0, series: st.map((s, i) => ({ label: s.key, points: s.shareCdf.filter((p) => p.x <= 4), stepped: true, colourIndex: i })) }),
    },
    metricBar(d, 'fairness', { file: 'fairness', title: "Fairness (Jain's index of share ratios)", y: "Jain's index (1 = perfectly fair)", yMax: 1, caption: `Jain's index (Σx)² / (n·Σx²) over the leechers' share ratios, per run; median over ${runs} with 95 % CI.` }),
    metricBar(d, 'seederCopies', { file: 'seeder-load', title: 'Seeder load', y: 'copies of the file uploaded by the seed(s)', caption: `Bytes the initial seed(s) uploaded, in copies of the file; lower means the leechers served each other. Median over ${runs} with 95 % CI.` }),
  ];
  if (st.some((s) => Object.keys(s.groups).length > 1)) {
    // Mixed swarms (strategy mix, free riders): each group's median download time, side by side.
    const rows = st.flatMap((s) => Object.entries(s.groups).map(([g, x]) => ({ label: `${g} in ${s.key}`, x })));
    charts.push({
      id: 'group-download-time', title: 'Median download time per group',
      caption: `For mixed swarms: each group's median download time (median over ${runs} of the per-run group median), with the 95 % bootstrap CI. Groups are picker/choker (or freerider); the label says which swarm they ran in.`,
      config: barChart({ title: 'Median download time per group', y: 'seconds', x: 'group in swarm', labels: rows.map((r) => r.label), values: rows.map((r) => num(r.x.p50.median)), whiskers: rows.map((r) => [num(r.x.p50.ciLow), num(r.x.p50.ciHigh)]), datasetLabel: 'median over runs; whiskers: 95 % bootstrap CI' }),
    });
  }
  if (st.some((s) => s.unchokeCdf)) {
    charts.push({
      id: 'unchoke-time', title: 'Unchoke time per peer',
      caption: `CDF of the unchoke time each leecher received, summed over its connections (peer-seconds unchoked, NodeResult.unchokedSec), pooled over ${runs}. A long flat start = peers left choked (starved).`,
      config: lineChart({ title: 'Unchoke time per peer', x: 'unchoke time received (peer-seconds)', y: 'fraction of leechers', yMin: 0, yMax: 1, xMin: 0, series: st.filter((s) => s.unchokeCdf).map((s, i) => ({ label: s.key, points: s.unchokeCdf!, stepped: true, colourIndex: i })) }),
    });
  }
  return charts;
}
