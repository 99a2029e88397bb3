/**
 * BEP 5 routing-table persistence (issue #5: "the routing table is saved and reused at the next
 * start"): `bt-lab download --dht` writes its node id and contacts to <folder>/.bt-lab-dht.json
 * when it stops, and the next run bootstraps from that file alone (no --dht-bootstrap). A DHT
 * node in this test process, on 127.0.0.1, is the only contact either run can know.
 */
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeHost } from '../../host/node-host.js';
import { closeDhtService, ensureDhtService } from '../../core/dht/service.js';
import type { DhtNode } from '../../core/dht/node.js';
import { toHex } from '../../core/util/bytes.js';
import { loadDhtState, saveDhtState } from '../../cli/dht-state.js';

const MAIN = join(process.cwd(), 'dist/cli/main.js');

const until = async (cond: () => boolean, ms: number, what: string) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** Run `bt-lab download` with the DHT until `stopWhen`, then SIGTERM it (it saves its table on the way out). */
async function download(torrent: string, out: string, bootstrap: string, stopWhen: () => boolean): Promise<void> {
  const child = spawn(process.execPath, [MAIN, 'download', torrent, '-o', out, '--port', '0', '--bind', '127.0.0.1', '--dht', '--dht-port', '0', '--dht-bootstrap', bootstrap],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => { err += d; });
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  try {
    await until(stopWhen, 20_000, `the DHT contact to hear from bt-lab (stderr: ${err})`);
  } finally {
    child.kill('SIGTERM');
  }
  // 130: stopped by a signal before completing (as the CLI documents); anything else is a failure.
  const code = await exited;
  if (code !== 130) throw new Error(`bt-lab download exited ${code}: ${err}`);
}

test('DHT state: saved at exit to <folder>/.bt-lab-dht.json, and the next run bootstraps from it alone', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-lab-dhtstate-'));
  const host = createNodeHost({ dir });
  t.teardown(() => { closeDhtService(host); host.destroy(); rmSync(dir, { recursive: true, force: true }); });
  const svc = ensureDhtService(host, { port: 0, bindHost: '127.0.0.1', bootstrap: [] });
  const contact = await new Promise<DhtNode>((res, rej) => svc.whenReady((e, n) => (e || !n ? rej(e) : res(n))));
  // A trackerless torrent nobody seeds: the runs only use the DHT.
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'f.bin'), new Uint8Array(40_000).fill(3));
  const cr = spawnSync(process.execPath, [MAIN, 'create', join(dir, 'data'), '-o', join(dir, 'x.torrent')], { encoding: 'utf8' });
  t.is(cr.status, 0, cr.stderr);
  const out = join(dir, 'dl');
  const state = join(out, '.bt-lab-dht.json');

  const answered = () => contact.stats.queriesAnswered;
  // Stop once the contact has answered and its reply had time to land (loopback: well under 500 ms).
  let answeredAt = 0;
  await download(join(dir, 'x.torrent'), out, `127.0.0.1:${svc.port}`, () => {
    if (answered() > 0 && answeredAt === 0) answeredAt = Date.now();
    return answeredAt > 0 && Date.now() - answeredAt > 500;
  });
  t.true(existsSync(state), 'state written at exit');
  const saved = JSON.parse(readFileSync(state, 'utf8'));
  t.regex(saved.id, /^[0-9a-f]{40}$/);
  t.true(saved.nodes.some((n: { id: string; port: number }) => n.id === toHex(contact.id) && n.port === svc.port), 'our contact is in the saved table');

  const before = answered();
  await download(join(dir, 'x.torrent'), out, '', () => answered() > before);
  t.pass('the second run, with no bootstrap contacts, reached the saved one');
  t.is(JSON.parse(readFileSync(state, 'utf8')).id, saved.id, 'same node id across runs');
});

test('DHT state file: missing is a first start (silent); malformed is reported and ignored; writes are atomic', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bt-lab-dhtstate-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  t.is(loadDhtState(join(dir, 'none.json'), warn), undefined);
  t.deepEqual(warnings, []);
  const table = { id: 'ab'.repeat(20), nodes: [{ id: 'cd'.repeat(20), host: '127.0.0.1', port: 6881 }] };
  const p = join(dir, 'sub', 'dht.json');
  saveDhtState(p, table);
  t.deepEqual(loadDhtState(p, warn), table);
  for (const bad of ['{', '[]', '{"id":"xyz","nodes":[]}', `{"id":"${'ab'.repeat(20)}"}`]) {
    writeFileSync(p, bad);
    t.is(loadDhtState(p, warn), undefined, bad);
  }
  t.is(warnings.length, 4);
  t.regex(warnings[2], /node id/);
});
