import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BtLabError } from '../core/util/errors.js';
import { runScenario } from '../sim/scenario/run.js';
import { makeScenario } from '../sim/scenario/types.js';
import { writeResult } from '../sim/scenario/io.js';
import { findInput, renderReport } from './render-report.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'btlab-report-'));
const pngs = (html: string) => [...html.matchAll(/src="(charts\/[^"]+\.png)"/g)].map((m) => m[1]);

test('a bt-lab sim folder (result.json) renders a report with its charts next to it', (t) => {
  const dir = tmp();
  writeResult(dir, runScenario(makeScenario({ peers: 8, fileBytes: 1 << 20, pieceLength: 65536, seed: 3 })));
  const { input, report } = renderReport(dir);
  t.is(input.kind, 'sim');
  const html = readFileSync(report.html, 'utf8');
  t.regex(html, /Simulated swarm: rarest\/reference, seed 3/);
  const files = pngs(html);
  t.true(files.includes('charts/completion-cdf-by-class.png'));
  t.true(files.includes('charts/piece-availability.png'));
  for (const f of files) t.true(existsSync(join(dir, f)), f);
  for (const f of files) t.true(existsSync(join(dir, f.replace(/\.png$/, '.json'))), 'data behind the chart');
  // Re-rendering the same input gives the same bytes.
  const before = files.map((f) => readFileSync(join(dir, f)));
  renderReport(dir);
  t.deepEqual(files.map((f) => readFileSync(join(dir, f))), before);
});

test('a download --json log renders progress, rates and peers', (t) => {
  const dir = tmp();
  const lines = [0.2, 0.6, 1].map((p, i) => JSON.stringify({ event: 'progress', progress: p, downloaded: p * 4e6, uploaded: 0, downRate: 1e6 * (i + 1), upRate: 0, peers: 3, seeds: 1, hashFailures: 0 }));
  writeFileSync(join(dir, 'download.jsonl'), lines.join('\n') + '\n');
  const { input, report } = renderReport(dir, join(dir, 'out'));
  t.is(input.kind, 'download');
  const html = readFileSync(report.html, 'utf8');
  t.deepEqual(pngs(html), ['charts/download-progress.png', 'charts/transfer-rates.png', 'charts/peers.png']);
  t.true(existsSync(join(dir, 'out', 'charts', 'peers.png')));
});

test('a conformance run renders a table of cases and outcomes by BEP', (t) => {
  const dir = tmp();
  writeFileSync(join(dir, 'conformance.json'), JSON.stringify({ target: 'bt-lab', cases: [{ id: 'BEP3-WIRE-1', outcome: 'OK' }, { id: 'BEP15-CONN-3', outcome: 'FAILED', message: 'bad <id>' }] }));
  const { input, report } = renderReport(join(dir, 'conformance.json'));
  t.is(input.kind, 'conformance');
  const html = readFileSync(report.html, 'utf8');
  t.regex(html, /BEP15-CONN-3/);
  t.regex(html, /bad &lt;id&gt;/);
  t.regex(html, /1 case\(s\) failed/);
  t.deepEqual(pngs(html), ['charts/conformance-outcomes.png']);
});

test('a folder with nothing bt-lab can read, or a missing path, is a typed error', (t) => {
  const dir = tmp();
  mkdirSync(join(dir, 'x'));
  writeFileSync(join(dir, 'notes.json'), '{"hello": 1}');
  t.is(t.throws(() => findInput(dir), { instanceOf: BtLabError })?.code, 'EREPORT');
  t.is(t.throws(() => findInput(join(dir, 'nope')), { instanceOf: BtLabError })?.code, 'ENOENT');
});
