import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { createNodeUdpNet } from '../../host/net/udp.js';
import { realClock, realRandom, realTimers } from '../../host/time.js';
import type { Address } from '../seam/net.js';
import { toHex } from '../util/bytes.js';
import { DhtNode } from './node.js';

/**
 * Real interop on 127.0.0.0/8: our DhtNode on a real UDP socket against libtorrent 2.0's DHT
 * (python3-libtorrent). Bounded: one libtorrent process, a 60 s hard stop in the script, a
 * 40 s test timeout, every step waiting at most a few seconds.
 */
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), '../../../core/dht/testing/lt_dht_peer.py');
const PY = '/usr/bin/python3';
const haveLibtorrent = spawnSync(PY, ['-c', 'import libtorrent'], { timeout: 10_000 }).status === 0;

test('interop BEP5-Q-2..Q-5: ping, find_node, get_peers, announce_peer with libtorrent, both directions', async (t) => {
  // A missing peer is a failure, never a skip (.ci/setup installs python3-libtorrent).
  if (!haveLibtorrent) { t.fail('python3-libtorrent is not installed (apt-get install python3-libtorrent, or run .ci/setup)'); return; }
  t.timeout(40_000);
  // Distinct loopback addresses per run so parallel runs do not collide.
  const oct = 100 + (process.pid % 100);
  const ourIp = `127.0.${oct}.1`, ltIp = `127.0.${oct}.2`;

  const node = await new Promise<{ node: DhtNode; port: number; close(): void }>((resolve, reject) => {
    let n!: DhtNode;
    createNodeUdpNet().bind({ port: 0, host: ourIp }, (d, f) => n.handleDatagram(d, f), (err, sock) => {
      if (err || !sock) { reject(err); return; }
      n = new DhtNode({ clock: realClock, timers: realTimers, random: realRandom(), send: (d, to) => sock.send(d, to) }, { queryTimeoutMs: 2000 });
      resolve({ node: n, port: sock.port, close: () => { n.stop(); sock.close(); } });
    });
  });

  const py = spawn(PY, [SCRIPT, ltIp, ourIp, String(node.port)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  createInterface({ input: py.stdout! }).on('line', (l) => { try { lines.push(JSON.parse(l)); } catch { /* ignore */ } waiters.splice(0).forEach((w) => w()); });
  let stderr = '';
  py.stderr!.on('data', (d) => { stderr += d; });
  const waitFor = (pred: (o: Record<string, unknown>) => boolean, ms: number) => new Promise<Record<string, unknown> | undefined>((resolve) => {
    const check = () => { const hit = lines.find(pred); if (hit) { clearTimeout(timer); resolve(hit); return true; } return false; };
    const timer = setTimeout(() => resolve(undefined), ms);
    const loop = () => { if (!check()) waiters.push(loop); };
    loop();
  });

  try {
    const ready = await waitFor((o) => o.ready === true || o.error !== undefined, 15_000);
    t.truthy(ready?.ready, `libtorrent did not start: ${JSON.stringify(ready)} ${stderr}`);
    if (!ready?.ready) return;
    const lt: Address = { host: ltIp, port: ready.port as number };
    const ltId = ready.id as string;

    // 1. libtorrent pinged us (add_dht_node); we answered and then verified it with our ping: it
    //    is in our routing table with the id it reported.
    const inTable = await poll(() => node.node.table.getByAddr(lt) !== undefined, 5000);
    t.true(inTable, 'libtorrent never entered our routing table');
    if (inTable) t.is(toHex(node.node.table.getByAddr(lt)!.id), ltId);

    // 2. Our ping and find_node to libtorrent.
    const ping = await new Promise<boolean>((r) => node.node.ping(lt, (o) => r(o.ok && toHex(o.reply.id) === ltId)));
    t.true(ping, 'ping');
    const fn = await new Promise<number>((r) => node.node.findNode(node.node.id, (res) => r(res.responded)));
    t.true(fn >= 1, 'find_node lookup got no answer');

    // 3. Our announce: get_peers for a fresh hash (token from libtorrent), then announce_peer;
    //    libtorrent reports the announce, and a second get_peers returns us as a value.
    const hash = realRandom().bytes(20);
    const ann = await new Promise<{ stored: number }>((r) => node.node.announce(hash, 7777, r));
    t.true(ann.stored >= 1, 'libtorrent did not accept announce_peer');
    const seen = await waitFor((o) => (o.announce as { info_hash?: string } | undefined)?.info_hash === toHex(hash), 3000);
    t.deepEqual(seen?.announce, { ip: ourIp, port: 7777, info_hash: toHex(hash) });
    const peers = await new Promise<Address[]>((r) => node.node.getPeers(hash, (res) => r(res.peers)));
    t.deepEqual(peers, [{ host: ourIp, port: 7777 }]);

    // 4. The other direction: we hold a peer for a hash; libtorrent's dht_get_peers finds it at us.
    const hash2 = realRandom().bytes(20);
    node.node.peers.add(hash2, { host: '127.0.0.9', port: 5555 }, realClock.now());
    py.stdin!.write(`get_peers ${toHex(hash2)}\n`);
    const got = await waitFor((o) => o.info_hash === toHex(hash2) && Array.isArray(o.peers), 8000);
    t.deepEqual(got?.peers, ['127.0.0.9:5555']);
    t.true(node.node.stats.queriesAnswered >= 2);
  } finally {
    py.stdin!.end('quit\n');
    const exited = await new Promise<boolean>((r) => { const tm = setTimeout(() => r(false), 3000); py.once('exit', () => { clearTimeout(tm); r(true); }); });
    if (!exited && py.pid) process.kill(py.pid, 'SIGKILL');
    node.close();
  }
});

function poll(cond: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const end = Date.now() + ms;
    const tick = () => { if (cond()) resolve(true); else if (Date.now() > end) resolve(false); else setTimeout(tick, 50); };
    tick();
  });
}
