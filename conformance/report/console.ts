import type { CaseResult, RunReport } from '../types.js';
import { lastEvidence, OUTCOME_LABEL, totalsLine, type ConformanceRun } from './summary.js';

/** One line per case as it finishes (h2spec style). */
export function caseLine(r: CaseResult): string {
  const mark = r.outcome === 'passed' ? '✔' : r.outcome === 'failed' ? '✘' : r.outcome === 'non-strict' ? '!' : r.outcome === 'unimplemented' ? '-' : 'i';
  const ev = r.outcome === 'passed' ? '' : `\n      ${lastEvidence(r)}`;
  const ce = r.counterexample !== undefined ? `\n      counter-example: ${JSON.stringify(r.counterexample).slice(0, 300)} (seed ${r.seed}, ${r.shrinks} shrinks)` : '';
  return `  ${mark} ${OUTCOME_LABEL[r.outcome].padEnd(13)} ${r.id} [${r.level}] ${r.title}${ev}${ce}`;
}

export function suiteHeader(r: Pick<RunReport, 'suite' | 'target'>): string {
  return `${r.suite}: ${r.target}`;
}

export function consoleSummary(run: ConformanceRun): string {
  const lines: string[] = [];
  for (const r of run.reports) lines.push(`${suiteHeader(r)} — ${totalsLine(r.totals)} in ${(r.durationMs / 1000).toFixed(1)} s`);
  lines.push(`total: ${totalsLine(run.totals)}${run.strict ? ' [strict]' : ''}`);
  const failed = run.reports.flatMap((r) => r.results.filter((x) => x.outcome === 'failed'));
  if (failed.length) lines.push(`failed clauses: ${[...new Set(failed.map((f) => f.clause))].join(', ')}`);
  if (run.totals.executed === 0) lines.push('NO CASE WAS EXECUTED: this run proves nothing (exit 3)');
  return lines.join('\n');
}
