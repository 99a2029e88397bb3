import { totalsOf } from '../runner.js';
import type { CaseResult, Outcome, RunReport } from '../types.js';

/** Several suite reports from one command (e.g. `conformance self` runs every suite). */
export interface ConformanceRun {
  tool: 'bt-lab conformance';
  version: 1;
  generatedAt: string;
  strict: boolean;
  seed: number;
  reports: RunReport[];
  totals: RunReport['totals'];
}

export function combine(reports: RunReport[], o: { strict: boolean; seed: number }): ConformanceRun {
  return {
    tool: 'bt-lab conformance', version: 1, generatedAt: new Date().toISOString(), strict: o.strict, seed: o.seed,
    reports, totals: totalsOf(reports.flatMap((r) => r.results)),
  };
}

export const OUTCOME_LABEL: Record<Outcome, string> = {
  passed: 'PASSED', failed: 'FAILED', 'non-strict': 'NON-STRICT', unimplemented: 'UNIMPLEMENTED', informational: 'INFO',
};

/** Exit status of a run: 0 ok, 1 some case failed, 3 nothing was executed (a known trap). */
export function exitCodeOf(run: ConformanceRun): number {
  if (run.totals.executed === 0) return 3;
  return run.totals.failed > 0 ? 1 : 0;
}

export function totalsLine(t: RunReport['totals']): string {
  return `${t.passed} passed, ${t.failed} failed, ${t['non-strict']} non-strict, ${t.unimplemented} unimplemented, ${t.informational} informational (${t.executed} executed)`;
}

export function lastEvidence(r: CaseResult): string {
  return r.evidence.length ? r.evidence[r.evidence.length - 1] : '';
}
