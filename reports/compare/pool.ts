import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { BtLabError } from '../../core/util/errors.js';
import { runScenario, type SimResult } from '../../sim/scenario/run.js';
import type { Job } from './matrix.js';
import type { FromWorker, WorkerInit } from './worker.js';
import type { ScenarioPlugins } from '../../sim/scenario/plugins.js';
import { SIM_WORKER_YOUNG_GEN_MB } from '../../sim/gc-tuning.js';

export interface PoolOptions {
  /** Worker threads; 1 = run serially in this thread. Default: the machine's available parallelism. */
  jobs?: number;
  /** The plugins the jobs' scenarios name (preparePlugins), for runs in this thread. */
  plugins?: ScenarioPlugins;
  /** Module specs of non-built-in plugins, loaded by every worker before it runs anything. */
  pickerSpecs?: string[];
  chokerSpecs?: string[];
  /** `fraction` in [0, 1] of the whole matrix, counting in-flight runs by their share of finished leechers. */
  onProgress?: (fraction: number, finishedRuns: number, totalRuns: number) => void;
  /** Called once per finished run, in completion order (results are still returned in job order). */
  onResult?: (job: Job, result: SimResult) => void;
}

export const defaultParallelism = () => Math.max(1, availableParallelism());

/**
 * Run every job and return the results IN JOB ORDER. A run is a pure function of its Scenario,
 * so the results are identical whether they come from one thread or many (pool.test.ts checks
 * byte equality); only the completion order varies, and nothing downstream sees it.
 */
export async function runJobs(jobs: readonly Job[], opts: PoolOptions = {}): Promise<SimResult[]> {
  const threads = Math.max(1, Math.min(opts.jobs ?? defaultParallelism(), jobs.length));
  const results: SimResult[] = new Array(jobs.length);
  const inflight = new Map<number, number>();
  let finished = 0;
  const report = () => {
    let partial = 0;
    for (const f of inflight.values()) partial += f;
    opts.onProgress?.(jobs.length ? (finished + partial) / jobs.length : 1, finished, jobs.length);
  };
  const done = (job: Job, r: SimResult) => {
    results[job.index] = r;
    inflight.delete(job.index);
    finished++;
    opts.onResult?.(job, r);
    report();
  };
  if (threads === 1) {
    for (const job of jobs) {
      inflight.set(job.index, 0);
      const r = runScenario(job.scenario, { plugins: opts.plugins, onProgress: (d, t) => { inflight.set(job.index, t ? d / t : 1); report(); } });
      done(job, r);
    }
    return results;
  }

  const byIndex = new Map(jobs.map((j) => [j.index, j]));
  const queue = [...jobs];
  const init: WorkerInit = { pickerSpecs: opts.pickerSpecs ?? [], chokerSpecs: opts.chokerSpecs ?? [] };
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let live = 0;
      let failed = false;
      const fail = (e: Error) => { if (!failed) { failed = true; reject(e); } };
      const feed = (w: Worker) => {
        const job = queue.shift();
        if (!job) { w.postMessage({ stop: true }); return; }
        inflight.set(job.index, 0);
        w.postMessage({ index: job.index, scenario: job.scenario });
      };
      for (let i = 0; i < threads; i++) {
        const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: SIM_WORKER_YOUNG_GEN_MB } });
        workers.push(w);
        live++;
        w.on('message', (m: FromWorker) => {
          if ('ready' in m) return feed(w);
          const job = byIndex.get(m.index)!;
          if ('progress' in m) { inflight.set(m.index, m.progress); report(); return; }
          if ('error' in m) return fail(new BtLabError('ECOMPARE', `run ${job.strategy.key} seed ${job.seed} failed: ${m.error}`, { index: m.index }));
          done(job, m.result as SimResult);
          feed(w);
        });
        w.on('error', (e) => fail(e));
        w.on('exit', () => { if (--live === 0) { if (finished === jobs.length) resolve(); else fail(new BtLabError('ECOMPARE', 'a worker exited before the matrix finished')); } });
      }
    });
  } finally {
    for (const w of workers) void w.terminate();
  }
  return results;
}
