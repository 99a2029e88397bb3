import type { ConformanceRun } from './summary.js';

/**
 * JUnit XML for CI: one <testsuite> per suite report, one <testcase> per case. `failed` is a
 * <failure>; `unimplemented` is <skipped>; `non-strict` and `informational` pass with their
 * evidence in <system-out> (they are not violations unless --strict made them `failed`).
 */
export function toJUnit(run: ConformanceRun): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites name="bt-lab conformance" tests="${count(run)}" failures="${run.totals.failed}" skipped="${run.totals.unimplemented}">`);
  for (const r of run.reports) {
    out.push(`  <testsuite name="${x(`${r.suite} ${r.target}`)}" tests="${r.results.length}" failures="${r.totals.failed}" skipped="${r.totals.unimplemented}" time="${(r.durationMs / 1000).toFixed(3)}" timestamp="${x(r.startedAt)}">`);
    for (const c of r.results) {
      out.push(`    <testcase classname="${x(`conformance.${r.suite}.${c.clause}`)}" name="${x(`${c.id} ${c.title}`)}" time="${(c.durationMs / 1000).toFixed(3)}">`);
      const ev = c.evidence.join('\n');
      if (c.outcome === 'failed') {
        const ce = c.counterexample !== undefined ? `\ncounter-example: ${JSON.stringify(c.counterexample)} (seed ${c.seed})` : '';
        out.push(`      <failure message="${x(c.evidence[c.evidence.length - 1] ?? 'failed')}" type="${x(c.level)}">${x(ev + ce)}</failure>`);
      } else if (c.outcome === 'unimplemented') {
        out.push(`      <skipped message="${x(`unimplemented: ${c.evidence[c.evidence.length - 1] ?? ''}`)}"/>`);
      }
      if (ev) out.push(`      <system-out>${x(`${c.outcome.toUpperCase()}\n${ev}`)}</system-out>`);
      out.push('    </testcase>');
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

function count(run: ConformanceRun): number {
  return run.reports.reduce((n, r) => n + r.results.length, 0);
}

/** XML-escape, dropping characters XML 1.0 cannot carry. */
export function x(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '?')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
