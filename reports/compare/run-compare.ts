import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resultJson } from '../../sim/scenario/io.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { compareCharts } from '../charts/compare-charts.js';
import { comparePage } from '../compare-page.js';
import { writeReport, type WrittenReport } from '../write-report.js';
import { aggregateCompare, type CompareData } from './aggregate.js';
import { buildMatrix } from './matrix.js';
import { moduleSpecs, preparePlugins } from './plugins.js';
import { runJobs } from './pool.js';

export interface CompareOptions {
  base: Partial<Scenario>;
  pickers: string[];
  chokers: string[];
  runs: number;
  seed: number;
  out: string;
  /** Worker threads (1 = serial, in this thread). */
  jobs?: number;
  /** Keep every run's full result.json under runs/ (default true). */
  saveRuns?: boolean;
  title?: string;
  notes?: string[];
  onProgress?: (fraction: number, finishedRuns: number, totalRuns: number) => void;
}

export interface CompareOutcome { data: CompareData; report: WrittenReport; dataFile: string }

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/**
 * The whole `bt-lab compare`: matrix → pool (both cores) → aggregate → compare.json, runs/,
 * charts/ and index.html in `out`. Deterministic: the folder's bytes depend only on the
 * options (not on the number of threads or on timing).
 */
export async function runCompare(o: CompareOptions): Promise<CompareOutcome> {
  const { pickers, chokers, plugins } = await preparePlugins(o.pickers, o.chokers);
  const jobs = buildMatrix(o.base, pickers, chokers, o.runs, o.seed);
  mkdirSync(o.out, { recursive: true });
  const saved: string[] = [];
  const results = await runJobs(jobs, {
    jobs: o.jobs, plugins, pickerSpecs: moduleSpecs(o.pickers), chokerSpecs: moduleSpecs(o.chokers), onProgress: o.onProgress,
    onResult: (job, r) => {
      if (o.saveRuns === false) return;
      const dir = join(o.out, 'runs', safe(`${job.strategy.picker}__${job.strategy.choker}`));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `seed-${job.seed}.json`), resultJson(r));
    },
  });
  if (o.saveRuns !== false) for (const j of jobs) saved.push(`runs/${safe(`${j.strategy.picker}__${j.strategy.choker}`)}/seed-${j.seed}.json`);
  const data = aggregateCompare(jobs, results);
  if (o.title) data.title = o.title;
  const dataFile = join(o.out, 'compare.json');
  writeFileSync(dataFile, compareJson(data));
  const report = writeReport(o.out, comparePage(data, { notes: o.notes, files: ['compare.json (aggregates, CDFs, time series)', 'charts/*.json (data behind each chart)', ...(saved.length ? [`runs/ (${saved.length} full simulator results)`] : [])] }), compareCharts(data));
  return { data, report, dataFile };
}

export const compareJson = (d: CompareData) => JSON.stringify(d, null, 1) + '\n';
