/**
 * The public path (issue #7 item 4): the package entry points resolve by name ("bt-lab",
 * "bt-lab/plugins", package.json exports → dist/), export every built-in and the plugin types'
 * runtime parts, and the CLI lists and checks plugins — including a third-party module by path.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, ['dist/cli/main.js', ...args], { timeout: 60_000 });

test('bt-lab/plugins exports every registered plugin, the helpers and the contract runners', async (t) => {
  const api = await import('bt-lab/plugins') as Record<string, unknown> & typeof import('../../plugins/index.js');
  const exported = new Set(Object.values(api));
  for (const p of [...api.builtinPickers, ...api.builtinChokers, ...api.builtinSources]) t.true(exported.has(p), `${p.name} is exported`);
  for (const name of ['BlockState', 'eligible', 'takeMissingBlocks', 'partialFirst', 'endgameBlocks', 'resolvePicker', 'resolveChoker', 'parsePluginOptions', 'checkPicker', 'checkChoker', 'checkSource', 'seededRandom']) {
    t.truthy(api[name], name);
  }
});

test('bt-lab (core entry) exports the seam helpers, codecs, Client and Torrent', async (t) => {
  const core = await import('bt-lab') as Record<string, unknown>;
  for (const name of ['Client', 'Torrent', 'MagnetDownload', 'parseMetainfo', 'buildMetainfo', 'parseMagnet', 'encode', 'decode', 'shuffle', 'addressKey', 'BtLabError', 'encodePexMessage', 'PexState', 'seededRandom']) {
    t.truthy(core[name], name);
  }
});

test('bt-lab plugins: lists every plugin with its description and options', async (t) => {
  const { stdout } = await cli('plugins', '--json');
  const list = JSON.parse(stdout) as Record<'pickers' | 'chokers' | 'sources', Array<{ name: string; description: string; options: unknown[] }>>;
  t.deepEqual(list.pickers.map((p) => p.name), ['picker:rarest', 'picker:random', 'picker:sequential', 'picker:random-first', 'picker:endgame-strict', 'picker:endgame-loose', 'picker:streaming']);
  t.true(['choker:reference', 'choker:fixed', 'choker:rate-based', 'choker:bittyrant', 'choker:propshare'].every((n) => list.chokers.some((c) => c.name === n)));
  for (const p of [...list.pickers, ...list.chokers, ...list.sources]) t.true(p.description.length > 10, p.name);
  const text = (await cli('plugins')).stdout;
  t.regex(text, /seedMode=upload-rate \(string\)/);
});

test('bt-lab plugins check: passes the example plugins, fails a broken third-party module with exit 2', async (t) => {
  const ok = await cli('plugins', 'check', './dist/examples/plugins/rarest-in-order-picker.js', '--runs', '40');
  t.regex(ok.stdout, /2\/2 checks passed/);
  const dir = mkdtempSync(join(tmpdir(), 'btlab-plugin-'));
  const bad = join(dir, 'greedy.mjs');
  writeFileSync(bad, `export default {
    name: 'choker:greedy', description: 'unchokes everyone despite 2 slots',
    maxUnchoked: () => 2,
    create: () => ({ intervalMs: 10000, rechoke: (peers) => new Set(peers.map((p) => p.id)) }),
  };\n`);
  const err = await t.throwsAsync(cli('plugins', 'check', bad, '--runs', '40')) as Error & { code: number; stdout: string; stderr: string };
  t.is(err.code, 2);
  t.regex(err.stdout, /FAIL choker:greedy {2}choker: never unchokes more than its slots \(2\)/);
  t.regex(err.stderr, /contract check\(s\) failed/);
});
