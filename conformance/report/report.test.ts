import test from 'ava';
import { runSuite } from '../runner.js';
import type { ConformanceCase } from '../types.js';
import { expect, pass } from '../verdicts.js';
import { combine, exitCodeOf } from './summary.js';
import { toJUnit } from './junit.js';
import { toHtml } from './html.js';
import { consoleSummary } from './console.js';

const cases: ConformanceCase[] = [
  { id: 'BEP3-BENC-1:ok', clause: 'BEP3-BENC-1', level: 'desc', title: 'fine', suite: 'bencode', style: 'exchange', run: async () => pass() },
  { id: 'BEP3-BENC-3:bad', clause: 'BEP3-BENC-3', level: 'desc', title: 'a <b>&"bad"', suite: 'bencode', style: 'exchange', run: async () => { expect(false, 'i-0e was accepted <oops>'); return pass(); } },
];

test('reports: JSON carries clause, outcome, evidence and duration; JUnit and HTML are escaped and offline', async (t) => {
  const run = combine([await runSuite('bencode', 'demo', cases, null)], { strict: false, seed: 1 });
  const json = JSON.parse(JSON.stringify(run));
  t.is(json.reports[0].results[1].clause, 'BEP3-BENC-3');
  t.is(json.reports[0].results[1].outcome, 'failed');
  t.deepEqual(json.reports[0].results[1].evidence, ['i-0e was accepted <oops>']);
  t.is(typeof json.reports[0].results[0].durationMs, 'number');
  const xml = toJUnit(run);
  t.regex(xml, /<testsuites name="bt-lab conformance" tests="2" failures="1"/);
  t.regex(xml, /<failure message="i-0e was accepted &lt;oops&gt;"/);
  const html = toHtml(run);
  t.notRegex(html, /<script|https?:\/\//, 'no script, no remote resources');
  t.regex(html, /a &lt;b&gt;&amp;&quot;bad&quot;/);
  t.regex(consoleSummary(run), /failed clauses: BEP3-BENC-3/);
  t.is(exitCodeOf(run), 1);
});

test('a run that executed zero cases exits 3, not 0', (t) => {
  const run = combine([], { strict: false, seed: 1 });
  t.is(exitCodeOf(run), 3);
  t.regex(consoleSummary(run), /NO CASE WAS EXECUTED/);
});
