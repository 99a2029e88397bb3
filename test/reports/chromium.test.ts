import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * End to end: `bt-lab compare` and `bt-lab report` through the CLI, then the HTML opened in
 * Debian's headless Chromium (no network: the report must be self-sufficient). The page
 * records how many chart images decoded (naturalWidth > 0) in data-charts-ok/-broken on
 * <html>; --dump-dom prints the DOM after the load event.
 */
const root = resolve(fileURLToPath(import.meta.url), '../../../..');
const cli = join(root, 'dist/cli/main.js');
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

function run(cmd: string, args: string[], timeout = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { timeout, maxBuffer: 32 << 20 }, (err, stdout, stderr) => res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
  });
}

async function chartsInChromium(html: string): Promise<{ ok: number; broken: number }> {
  if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install -y chromium)');
  const profile = mkdtempSync(join(tmpdir(), 'btlab-chromium-'));
  try {
    const r = await run(CHROMIUM, ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--virtual-time-budget=10000', '--dump-dom', pathToFileURL(html).href], 60_000);
    const ok = /data-charts-ok="(\d+)"/.exec(r.stdout), broken = /data-charts-broken="(\d+)"/.exec(r.stdout);
    if (!ok || !broken) throw new Error(`no chart count in the DOM (exit ${r.code}): ${r.stderr.slice(-500)}`);
    return { ok: Number(ok[1]), broken: Number(broken[1]) };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

test('bt-lab compare writes a report whose charts all load in headless Chromium; a missing PNG is caught', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'btlab-compare-'));
  const r = await run('node', [cli, 'compare', '--picker', 'rarest', '--choker', 'reference,freerider', '--peers', '8', '--file-mib', '1', '--piece-kib', '64', '--runs', '2', '--seed', '4', '--jobs', '2', '--out', out]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /rarest\/reference/);
  t.regex(r.stderr, /100 %\s+4\/4 runs/, 'progress bar on stderr');
  const data = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8'));
  t.deepEqual(data.strategies.map((s: { key: string }) => s.key), ['rarest/reference', 'rarest/freerider']);
  t.deepEqual(readdirSync(join(out, 'runs')).sort(), ['rarest__freerider', 'rarest__reference']);
  const pngs = readdirSync(join(out, 'charts')).filter((f) => f.endsWith('.png'));
  t.true(pngs.length >= 9);

  const seen = await chartsInChromium(join(out, 'index.html'));
  t.deepEqual(seen, { ok: pngs.length, broken: 0 });

  // The check can fail: hide one chart and it must be reported broken.
  renameSync(join(out, 'charts', 'fairness.png'), join(out, 'charts', 'fairness.png.hidden'));
  t.deepEqual(await chartsInChromium(join(out, 'index.html')), { ok: pngs.length - 1, broken: 1 });
});

test('bt-lab report renders a saved bt-lab sim result; charts load in headless Chromium', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'btlab-simreport-'));
  const sim = await run('node', [cli, 'sim', '--peers', '8', '--file-mib', '1', '--piece-kib', '64', '--no-trace', '--quiet', '-o', dir]);
  t.is(sim.code, 0, sim.stderr);
  const r = await run('node', [cli, 'report', dir]);
  t.is(r.code, 0, r.stderr);
  t.regex(r.stdout, /sim results: .*result\.json/);
  const pngs = readdirSync(join(dir, 'charts')).filter((f) => f.endsWith('.png'));
  t.deepEqual(await chartsInChromium(join(dir, 'index.html')), { ok: pngs.length, broken: 0 });
});

test('bt-lab report on a folder without results exits 2 with a one-line reason', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'btlab-empty-'));
  const r = await run('node', [cli, 'report', dir]);
  t.is(r.code, 2);
  t.regex(r.stderr, /^bt-lab: no bt-lab results in /);
});
