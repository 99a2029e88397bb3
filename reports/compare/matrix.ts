import { BtLabError } from '../../core/util/errors.js';
import { makeScenario, type Scenario } from '../../sim/scenario/types.js';
import { parsePluginOptions } from '../../plugins/registry.js';

/**
 * A strategy name may carry options for that strategy only: `reference?optimisticEvery=30`
 * or `bittyrant?initialUp=8000&rounds=2` — so one comparison can pit settings of the same
 * plugin against each other. They are merged over the scenario's shared picker/choker options.
 */
export function splitSpec(spec: string): { name: string; options: Record<string, number | string | boolean> } {
  const q = spec.indexOf('?');
  if (q < 0) return { name: spec, options: {} };
  return { name: spec.slice(0, q), options: parsePluginOptions(spec.slice(q + 1).split('&').filter(Boolean)) };
}

/** One strategy of the comparison: a picker and a choker (by plugin name). */
export interface Strategy {
  key: string;
  picker: string;
  choker: string;
}

/** One simulation to run: a strategy under one seed. `index` fixes its place in the results. */
export interface Job {
  index: number;
  strategy: Strategy;
  seed: number;
  scenario: Scenario;
}

/** `a,b , c` → ['a','b','c']; refuses empty lists and duplicates (a duplicate would just double the runs). */
export function parseList(text: string | readonly string[], what: string): string[] {
  const items = (Array.isArray(text) ? text : [text]).flatMap((t) => String(t).split(',')).map((s) => s.trim()).filter(Boolean);
  if (!items.length) throw new BtLabError('EUSAGE', `--${what} needs at least one name`);
  const dup = items.find((x, i) => items.indexOf(x) !== i);
  if (dup) throw new BtLabError('EUSAGE', `--${what} lists "${dup}" twice`);
  return items;
}

export const strategyKey = (picker: string, choker: string) => `${picker}/${choker}`;

/**
 * The full matrix pickers × chokers × seeds. Every strategy runs the SAME seeds (seed,
 * seed+1, …): the seed fixes the peers' bandwidth classes and arrival times, so strategies are
 * compared on identical swarms (common random numbers), which narrows the differences that
 * come from the swarm rather than from the strategy. Job order is strategy-major and fixed.
 */
export function buildMatrix(base: Partial<Scenario>, pickers: readonly string[], chokers: readonly string[], runs: number, firstSeed: number): Job[] {
  if (!Number.isInteger(runs) || runs < 1) throw new BtLabError('EUSAGE', `--runs must be an integer ≥ 1 (got ${runs})`);
  if (!Number.isInteger(firstSeed) || firstSeed < 0) throw new BtLabError('EUSAGE', `--seed must be an integer ≥ 0 (got ${firstSeed})`);
  const jobs: Job[] = [];
  for (const picker of pickers) {
    for (const choker of chokers) {
      const strategy = { key: strategyKey(picker, choker), picker, choker };
      const p = splitSpec(picker), c = splitSpec(choker);
      const pickerOptions = { ...(base.pickerOptions ?? {}), ...p.options };
      const chokerOptions = { ...(base.chokerOptions ?? {}), ...c.options };
      for (let r = 0; r < runs; r++) {
        const seed = firstSeed + r;
        jobs.push({ index: jobs.length, strategy, seed, scenario: makeScenario({ ...base, picker: p.name, choker: c.name, pickerOptions, chokerOptions, seed }) });
      }
    }
  }
  return jobs;
}

/** Distinct strategies in job order. */
export function strategiesOf(jobs: readonly Job[]): Strategy[] {
  const seen = new Map<string, Strategy>();
  for (const j of jobs) if (!seen.has(j.strategy.key)) seen.set(j.strategy.key, j.strategy);
  return [...seen.values()];
}
