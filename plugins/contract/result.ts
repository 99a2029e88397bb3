/** Contract outcomes as data: the CLI prints them, the test suite asserts on them. */
import fc from 'fast-check';

export interface ContractResult {
  plugin: string;
  check: string;
  ok: boolean;
  /** On failure: fast-check's report (seed, path, counterexample) or the error. */
  detail?: string;
}

/**
 * Run a fast-check property whose predicate returns true or a failure message (a string, so
 * the reason reaches the report instead of a bare "false").
 */
export function runProperty<Ts extends [unknown, ...unknown[]]>(
  plugin: string, check: string, params: { numRuns: number; seed?: number },
  prop: fc.IProperty<Ts>,
): ContractResult {
  const wrapped = prop as fc.IProperty<Ts>;
  try {
    const details = fc.check(wrapped, { numRuns: params.numRuns, seed: params.seed });
    if (!details.failed) return { plugin, check, ok: true };
    const err = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance ?? 'property returned false');
    const example = JSON.stringify(details.counterexample)?.slice(0, 1500);
    return { plugin, check, ok: false, detail: `${err}\n(seed ${details.seed}; counterexample after ${details.numShrinks} shrinks: ${example})` };
  } catch (err) {
    return { plugin, check, ok: false, detail: `threw: ${(err as Error).message}` };
  }
}

/** fc.property predicate adapter: a string result is a failure with that message. */
export function verdict(r: true | string): boolean {
  if (r === true) return true;
  throw new Error(r);
}
