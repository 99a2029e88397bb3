import { seededRandom } from '../core/util/prng.js';
import {
  CaseFailure, CaseInformational, CaseUnimplemented,
  type CaseContext, type CaseResult, type ConformanceCase, type Level, type Outcome, type RunReport, type SuiteName, type Verdict,
} from './types.js';

export interface RunOptions {
  /** SHOULD/MAY (and non-interop desc) violations become `failed` instead of `non-strict`. */
  strict?: boolean;
  seed?: number;
  /** Hard bound per case (ms); a case still running then is `failed` with "timed out". */
  caseTimeoutMs?: number;
  /** Wait for one reply (ms), handed to cases. */
  replyTimeoutMs?: number;
  /** Called after each case (console progress). */
  onResult?: (r: CaseResult) => void;
  /**
   * Injectable clock for durations (ms). The harness is not core/, but durations are only
   * reported, never asserted; the default is performance.now.
   */
  now?: () => number;
}

/** Is a violation of this case a hard failure without --strict? (CONFORMANCE.md preamble) */
export function isHard(c: Pick<ConformanceCase, 'level' | 'interop'>): boolean {
  if (c.level === 'MUST' || c.level === 'must') return true;
  if (c.level === 'desc' || c.level === 'derived') return c.interop !== false;
  return false;
}

export function outcomeOf(v: Verdict, c: Pick<ConformanceCase, 'level' | 'interop'>, strict: boolean): Outcome {
  switch (v.kind) {
    case 'pass': return 'passed';
    case 'info': return 'informational';
    case 'unimplemented': return 'unimplemented';
    case 'fail': return isHard(c) || strict ? 'failed' : 'non-strict';
  }
}

/** Run the selected cases of one suite against one target, one after the other. */
export async function runSuite<T>(
  suite: SuiteName,
  targetLabel: string,
  cases: readonly ConformanceCase<T>[],
  target: T,
  opts: RunOptions = {},
): Promise<RunReport> {
  const now = opts.now ?? (() => performance.now());
  const seed = (opts.seed ?? 0x5eed) >>> 0;
  const strict = opts.strict ?? false;
  const shared = new Map<string, Promise<unknown>>();
  const startedAt = new Date().toISOString();
  const t0 = now();
  const results: CaseResult[] = [];
  for (const c of cases) {
    const evidence: string[] = [];
    const ctx: CaseContext = {
      seed,
      rng: seededRandom(seed).fork(c.id),
      replyTimeoutMs: opts.replyTimeoutMs ?? 2000,
      note: (line) => { if (evidence.length < 200) evidence.push(line); },
      shared: <X>(key: string, make: () => Promise<X>): Promise<X> => {
        let p = shared.get(key) as Promise<X> | undefined;
        if (!p) { p = make(); shared.set(key, p); }
        return p;
      },
    };
    const start = now();
    const verdict = await runOne(c, target, ctx, opts.caseTimeoutMs ?? 60_000);
    const r: CaseResult = {
      id: c.id, clause: c.clause, level: c.level, title: c.title, suite: c.suite,
      outcome: outcomeOf(verdict, c, strict),
      evidence: verdict.evidence ? [...evidence, verdict.evidence] : evidence,
      durationMs: Math.round((now() - start) * 10) / 10,
    };
    if (verdict.kind === 'fail') {
      if (verdict.counterexample !== undefined) r.counterexample = verdict.counterexample;
      if (verdict.seed !== undefined) r.seed = verdict.seed;
      if (verdict.shrinks !== undefined) r.shrinks = verdict.shrinks;
    }
    results.push(r);
    opts.onResult?.(r);
  }
  return {
    tool: 'bt-lab conformance', target: targetLabel, suite, strict, seed, startedAt,
    durationMs: Math.round(now() - t0), results, totals: totalsOf(results),
  };
}

async function runOne<T>(c: ConformanceCase<T>, target: T, ctx: CaseContext, timeoutMs: number): Promise<Verdict> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<Verdict>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'fail', evidence: `case timed out after ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([c.run(target, ctx).catch(toVerdict), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function toVerdict(e: unknown): Verdict {
  if (e instanceof CaseFailure) return { kind: 'fail', evidence: e.evidence, ...e.extra };
  if (e instanceof CaseUnimplemented) return { kind: 'unimplemented', evidence: e.message };
  if (e instanceof CaseInformational) return { kind: 'info', evidence: e.message };
  // Anything else is a fault of the harness or of the target's transport: report it as a
  // failure with the message rather than crashing the run.
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'fail', evidence: `case raised ${err.name}: ${err.message}` };
}

export function totalsOf(results: readonly CaseResult[]): RunReport['totals'] {
  const t = { passed: 0, failed: 0, 'non-strict': 0, unimplemented: 0, informational: 0, executed: 0 };
  for (const r of results) {
    t[r.outcome]++;
    // "Executed" = the case checked something; an unimplemented feature checked nothing.
    if (r.outcome !== 'unimplemented') t.executed++;
  }
  return t;
}

/** Levels for --list and reports, strongest first. */
export const LEVELS: readonly Level[] = ['MUST', 'must', 'desc', 'derived', 'SHOULD', 'should', 'MAY'];
