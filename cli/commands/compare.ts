import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { exitIfParentGone } from '../sim-v8-flags.js';
import { handler, lastWins } from '../run-command.js';
import { parseList } from '../../reports/compare/matrix.js';
import { defaultParallelism } from '../../reports/compare/pool.js';
import { scenarioFlagOptions, scenarioFromFlags, type ScenarioFlags } from '../../sim/scenario/flags.js';
import { ProgressBar } from '../../reports/progress-bar.js';

interface CompareArgs extends ScenarioFlags {
  picker: string;
  choker: string;
  runs: number;
  seed: number;
  out: string;
  jobs?: number;
  'save-runs': boolean;
  title?: string;
  quiet: boolean;
  json: boolean;
  debug?: boolean;
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare',
  describe: 'Compare strategy plugins in the simulator over many seeds (both cores) and write an HTML report with charts',
  builder: (y) => y
    .example('$0 compare --picker rarest,random --choker reference,bittyrant --peers 200 --runs 10 --seed 1 --out report/', '4 strategies × 10 seeds')
    .option('picker', { type: 'string', default: 'rarest', describe: 'Comma-separated piece pickers (names or module paths)' })
    .option('choker', { type: 'string', default: 'reference', describe: 'Comma-separated chokers (names or module paths)' })
    .option('runs', { type: 'number', default: 5, describe: 'Runs (seeds) per strategy' })
    .option('seed', { type: 'number', default: 1, describe: 'First seed; runs use seed, seed+1, …' })
    .options(scenarioFlagOptions)
    .option('out', { alias: 'o', type: 'string', default: 'report', coerce: lastWins, describe: 'Output folder (index.html, charts/, compare.json, runs/)' })
    .option('jobs', { alias: 'j', type: 'number', describe: `Worker threads [${defaultParallelism()}]; 1 = serial` })
    .option('save-runs', { type: 'boolean', default: true, describe: 'Keep every run\'s result.json under runs/' })
    .option('title', { type: 'string', describe: 'Report title' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress bar' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the headline numbers as JSON' }) as never,
  handler: handler(async (a: CompareArgs) => {
    const pickers = parseList(a.picker, 'picker');
    const chokers = parseList(a.choker, 'choker');
    const out = resolve(a.out);
    // Charts pull in node-canvas and chart.js: load them only when this command runs.
    const [{ runCompare }, { fmt }] = await Promise.all([import('../../reports/compare/run-compare.js'), import('../../reports/write-report.js')]);
    const bar = a.quiet ? null : new ProgressBar('compare');
    const { data, report, dataFile } = await runCompare({
      base: scenarioFromFlags(a), pickers, chokers, runs: a.runs, seed: a.seed, out, jobs: a.jobs, saveRuns: a['save-runs'], title: a.title,
      onProgress: (f, done, total) => { exitIfParentGone(); bar?.update(f, done, total); },
    });
    bar?.end();
    if (a.json) {
      process.stdout.write(JSON.stringify({ report: report.html, data: dataFile, strategies: data.strategies.map((s) => ({ key: s.key, metrics: s.metrics })) }) + '\n');
      return;
    }
    const w = Math.max(10, ...data.strategies.map((s) => s.key.length));
    const lines = [`${'strategy'.padEnd(w)}  median time (95% CI)        p90 time   done   util   seeder   Jain`];
    for (const s of data.strategies) {
      const m = s.metrics;
      lines.push(`${s.key.padEnd(w)}  ${(Number.isFinite(m.completionP50.median) ? `${fmt(m.completionP50.median)} s (${fmt(m.completionP50.ciLow)}–${fmt(m.completionP50.ciHigh)})` : 'nobody finished').padEnd(27)} ${fmt(m.completionP90.median).padStart(8)}  ${fmt(m.completedFrac.median).padStart(5)}  ${fmt(m.uploadUtilisation.median).padStart(5)}  ${fmt(m.seederCopies.median).padStart(7)}  ${fmt(m.fairness.median).padStart(5)}`);
    }
    process.stdout.write(`${lines.join('\n')}\nreport: ${report.html}\ndata: ${dataFile}\n`);
  }),
};
