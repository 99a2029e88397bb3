import fc from 'fast-check';
import { CaseFailure, type CaseContext } from './types.js';
import { jsonSafe } from './verdicts.js';

/**
 * Run a fast-check property inside a case. A failure becomes a CaseFailure that carries the
 * SHRUNK counter-example, the seed and the shrink count (the report's `counterexample`), so
 * `--seed` replays it. Over the network, keep numRuns small: every run is real traffic.
 */
export async function checkProperty<Ts extends [unknown, ...unknown[]]>(
  ctx: CaseContext,
  prop: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  opts: { numRuns: number; what: string },
): Promise<void> {
  const r = await fc.check(prop as fc.IAsyncProperty<Ts>, { numRuns: opts.numRuns, seed: ctx.seed, endOnFailure: false, maxSkipsPerRun: 100 });
  ctx.note(`${opts.what}: ${r.numRuns} run(s), seed ${r.seed}`);
  if (!r.failed) return;
  const why = r.errorInstance instanceof Error ? r.errorInstance.message : String(r.errorInstance ?? 'property returned false');
  throw new CaseFailure(`${opts.what} does not hold: ${why.split('\n')[0]}`, {
    counterexample: jsonSafe(r.counterexample), seed: r.seed, shrinks: r.numShrinks,
  });
}
