import test from 'ava';
import type { SimResult, Sample } from '../../sim/scenario/run.js';
import { buildMatrix } from './matrix.js';
import { runJobs } from './pool.js';
import { aggregateCompare, meanSeries, METRICS, runMetrics } from './aggregate.js';

const sample = (t: number, completed: number, extra: Partial<Sample> = {}): Sample => ({ t, online: 1, completed, meanProgress: completed / 2, availMin: 1, availMean: 2, uploadBps: 100, ...extra });
const fake = (samples: Sample[]) => ({ samples, summary: { leechers: 2 } }) as unknown as SimResult;

test('meanSeries: a finished run keeps its final progress; availability averages only running swarms', (t) => {
  const a = fake([sample(5, 1), sample(10, 2)]);
  const b = fake([sample(5, 0, { availMin: 3, uploadBps: 300 }), sample(10, 1, { availMin: 5, uploadBps: 500 }), sample(15, 2, { availMin: 7, uploadBps: 700 })]);
  const s = meanSeries([a, b]);
  t.deepEqual(s.t, [5, 10, 15]);
  t.deepEqual(s.completedFrac, [0.25, 0.75, 1]); // a holds 2/2 at t = 15
  t.deepEqual(s.meanProgress, [0.25, 0.75, 1]);
  t.deepEqual(s.availMin, [2, 3, 7]); // t = 15: only b
  t.deepEqual(s.uploadBps, [200, 300, 700]);
  t.deepEqual(s.runs, [2, 2, 1]);
});

test('aggregateCompare over real tiny runs: one entry per strategy, metrics from each run, CDF ends at the completed share', async (t) => {
  const jobs = buildMatrix({ peers: 8, fileBytes: 1 << 20, pieceLength: 64 * 1024 }, ['rarest'], ['reference'], 3, 5);
  const results = await runJobs(jobs, { jobs: 1 });
  const d = aggregateCompare(jobs, results);
  t.is(d.kind, 'bt-lab/compare');
  t.deepEqual(d.seeds, [5, 6, 7]);
  t.is(d.strategies.length, 1);
  const s = d.strategies[0];
  t.is(s.runs.length, 3);
  for (const m of METRICS) t.is(s.metrics[m.id].n, results.filter((r) => Number.isFinite(runMetrics(r)[m.id])).length, m.id);
  t.deepEqual(s.runs.map((r) => r.completionP50), results.map((r) => r.summary.completion.p50));
  const done = results.reduce((a, r) => a + r.summary.completed, 0);
  t.is(s.cdf[s.cdf.length - 1].y, Number((done / 24).toFixed(6)));
  t.true(s.cdf.every((p, i) => i === 0 || (p.x > s.cdf[i - 1].x && p.y > s.cdf[i - 1].y)), 'CDF strictly increasing');
  // Every leecher's unchokedSec (time others had it unchoked) feeds the choker-fairness CDF.
  t.truthy(s.unchokeCdf, 'unchoke-time CDF present');
  t.true(s.unchokeCdf!.length > 0 && s.unchokeCdf!.every((p) => p.x >= 0 && p.y > 0 && p.y <= 1));
  t.is(s.unchokeCdf![s.unchokeCdf!.length - 1].y, 1);
  t.deepEqual(Object.keys(s.groups), ['rarest/reference']);
  t.deepEqual(aggregateCompare(jobs, results), d, 'deterministic');
});
