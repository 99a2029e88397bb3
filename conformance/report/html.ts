import type { Outcome } from '../types.js';
import { OUTCOME_LABEL, totalsLine, type ConformanceRun } from './summary.js';

/**
 * A self-contained HTML page (inline CSS, no script, no CDN: it opens offline from a CI
 * artifact). One table per suite; evidence and counter-examples in expandable rows.
 */
const COLOR: Record<Outcome, string> = {
  passed: '#1a7f37', failed: '#cf222e', 'non-strict': '#9a6700', unimplemented: '#57606a', informational: '#0969da',
};

export function toHtml(run: ConformanceRun): string {
  const h: string[] = [];
  h.push('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bt-lab conformance</title><style>');
  h.push('body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#1f2328}table{border-collapse:collapse;width:100%;margin-bottom:2em}');
  h.push('td,th{border-bottom:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}');
  h.push('.o{font-weight:600;white-space:nowrap}code,pre{font:12px ui-monospace,monospace}pre{white-space:pre-wrap;margin:4px 0}details summary{cursor:pointer}');
  h.push('</style></head><body>');
  h.push(`<h1>bt-lab conformance</h1><p>${esc(totalsLine(run.totals))}${run.strict ? ' — <b>strict</b>' : ''}; seed ${run.seed}; ${esc(run.generatedAt)}</p>`);
  for (const r of run.reports) {
    h.push(`<h2>${esc(r.suite)}: <code>${esc(r.target)}</code></h2><p>${esc(totalsLine(r.totals))} in ${(r.durationMs / 1000).toFixed(1)} s</p>`);
    h.push('<table><tr><th>outcome</th><th>case</th><th>level</th><th>title and evidence</th><th>ms</th></tr>');
    for (const c of r.results) {
      const ev = c.evidence.length ? `<details><summary>${esc(c.evidence[c.evidence.length - 1].slice(0, 160))}</summary><pre>${esc(c.evidence.join('\n'))}</pre>${c.counterexample !== undefined ? `<pre>counter-example (seed ${c.seed}, ${c.shrinks} shrinks): ${esc(JSON.stringify(c.counterexample, null, 1))}</pre>` : ''}</details>` : '';
      h.push(`<tr><td class="o" style="color:${COLOR[c.outcome]}">${OUTCOME_LABEL[c.outcome]}</td><td><code>${esc(c.id)}</code></td><td>${esc(c.level)}</td><td>${esc(c.title)}${ev}</td><td>${c.durationMs}</td></tr>`);
    }
    h.push('</table>');
  }
  h.push('</body></html>');
  return h.join('\n') + '\n';
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
