import { parentPort, workerData } from 'node:worker_threads';
import { runScenario } from '../../sim/scenario/run.js';
import type { Scenario } from '../../sim/scenario/types.js';
import { preparePlugins } from './plugins.js';

/**
 * A pool worker: runs whole scenarios, one at a time, and posts each SimResult back. A run
 * depends only on its Scenario (seed included), so which worker runs it does not matter.
 */
export interface WorkerInit { pickerSpecs: string[]; chokerSpecs: string[] }
export type ToWorker = { index: number; scenario: Scenario } | { stop: true };
export type FromWorker =
  | { ready: true }
  | { index: number; progress: number; simSeconds: number }
  | { index: number; result: unknown }
  | { index: number; error: string };

const port = parentPort!;
const init = workerData as WorkerInit;
const { plugins } = await preparePlugins(init.pickerSpecs, init.chokerSpecs);
port.on('message', (m: ToWorker) => {
  if ('stop' in m) { port.close(); return; }
  try {
    const result = runScenario(m.scenario, {
      plugins,
      onProgress: (done, total, simSeconds) => port.postMessage({ index: m.index, progress: total ? done / total : 1, simSeconds } satisfies FromWorker),
    });
    port.postMessage({ index: m.index, result } satisfies FromWorker);
  } catch (e) {
    port.postMessage({ index: m.index, error: (e as Error).message } satisfies FromWorker);
  }
});
port.postMessage({ ready: true } satisfies FromWorker);
