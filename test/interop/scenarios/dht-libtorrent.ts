/**
 * Scenario (run inside a lab namespace by test/interop/dht-libtorrent.test.ts): our DhtNode on a
 * real UDP socket against libtorrent 2.0's DHT (core/dht/testing/lt_dht_peer.py, started by the
 * test in the same namespace).
 *
 *   node dht-libtorrent.js <our-ip> <our-port> <lt-ip> <lt-stdout-file> <lt-stdin-fifo>
 *
 * Binds first and prints {"event":"bound"}; the test then starts libtorrent with our address,
 * whose JSON lines this script reads from <lt-stdout-file> and whose commands it writes to
 * <lt-stdin-fifo>. Prints one {"check": …} line per assertion (see check.ts).
 */
import { readFileSync, appendFileSync } from 'node:fs';
import { createNodeUdpNet } from '../../../host/net/udp.js';
import { realClock, realRandom, realTimers } from '../../../host/time.js';
import type { Address } from '../../../core/seam/net.js';
import { toHex } from '../../../core/util/bytes.js';
import { DhtNode } from '../../../core/dht/node.js';
import { check, emit, runScenario, sameJson } from './check.js';

const [ourIp = '127.0.0.2', portArg = '6881', ltIp = '127.0.0.3', ltOut = '', ltIn = ''] = process.argv.slice(2);

function ltLines(): Array<Record<string, unknown>> {
  let text = '';
  try {
    text = readFileSync(ltOut, 'utf8');
  } catch {
    return [];
  }
  const out: Array<Record<string, unknown>> = [];
  for (const l of text.split('\n')) {
    try {
      const v: unknown = JSON.parse(l);
      if (v && typeof v === 'object') out.push(v as Record<string, unknown>);
    } catch {
      /* partial or non-JSON line */
    }
  }
  return out;
}

async function waitFor(pred: (o: Record<string, unknown>) => boolean, ms: number): Promise<Record<string, unknown> | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const hit = ltLines().find(pred);
    if (hit || Date.now() > end) return hit;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function poll(cond: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const end = Date.now() + ms;
    const tick = () => { if (cond()) resolve(true); else if (Date.now() > end) resolve(false); else setTimeout(tick, 50); };
    tick();
  });
}

runScenario(async () => {
  const node = await new Promise<{ node: DhtNode; port: number; close(): void }>((resolve, reject) => {
    let n!: DhtNode;
    createNodeUdpNet().bind({ port: Number(portArg), host: ourIp }, (d, f) => n.handleDatagram(d, f), (err, sock) => {
      if (err || !sock) { reject(err ?? new Error('bind failed')); return; }
      n = new DhtNode({ clock: realClock, timers: realTimers, random: realRandom(), send: (d, to) => sock.send(d, to) }, { queryTimeoutMs: 2000 });
      resolve({ node: n, port: sock.port, close: () => { n.stop(); sock.close(); } });
    });
  });
  emit({ event: 'bound', host: ourIp, port: node.port });
  try {
    const ready = await waitFor((o) => o.ready === true || o.error !== undefined, 15_000);
    check('libtorrent-ready', ready?.ready === true, { ready: ready ?? null });
    if (ready?.ready !== true) return;
    const lt: Address = { host: ltIp, port: ready.port as number };
    const ltId = ready.id as string;

    // 1. libtorrent pinged us (add_dht_node); we answered and then verified it with our ping: it
    //    is in our routing table with the id it reported.
    const inTable = await poll(() => node.node.table.getByAddr(lt) !== undefined, 5000);
    const entry = node.node.table.getByAddr(lt);
    check('BEP5-Q-2:in-table', inTable, { lt });
    check('BEP5-Q-2:table-id', entry !== undefined && toHex(entry.id) === ltId, { actual: entry ? toHex(entry.id) : null, expected: ltId });

    // 2. Our ping and find_node to libtorrent.
    const ping = await new Promise<boolean>((r) => node.node.ping(lt, (o) => r(o.ok && toHex(o.reply.id) === ltId)));
    check('BEP5-Q-2:ping', ping);
    const fn = await new Promise<number>((r) => node.node.findNode(node.node.id, (res) => r(res.responded)));
    check('BEP5-Q-3:find_node', fn >= 1, { responded: fn });

    // 3. Our announce: get_peers for a fresh hash (token from libtorrent), then announce_peer;
    //    libtorrent reports the announce, and a second get_peers returns us as a value.
    const hash = realRandom().bytes(20);
    const ann = await new Promise<{ stored: number }>((r) => node.node.announce(hash, 7777, r));
    check('BEP5-Q-5:announce-stored', ann.stored >= 1, { stored: ann.stored });
    const seen = await waitFor((o) => (o.announce as { info_hash?: string } | undefined)?.info_hash === toHex(hash), 3000);
    const wantAnn = { ip: ourIp, port: 7777, info_hash: toHex(hash) };
    check('BEP5-Q-5:announce-seen', sameJson(seen?.announce, wantAnn), { actual: seen?.announce ?? null, expected: wantAnn });
    const peers = await new Promise<Address[]>((r) => node.node.getPeers(hash, (res) => r(res.peers)));
    const wantPeers = [{ host: ourIp, port: 7777 }];
    check('BEP5-Q-4:get_peers-values', sameJson(peers, wantPeers), { actual: peers, expected: wantPeers });

    // 4. The other direction: we hold a peer for a hash; libtorrent's dht_get_peers finds it at us.
    const hash2 = realRandom().bytes(20);
    node.node.peers.add(hash2, { host: '127.0.0.9', port: 5555 }, realClock.now());
    appendFileSync(ltIn, `get_peers ${toHex(hash2)}\n`);
    const got = await waitFor((o) => o.info_hash === toHex(hash2) && Array.isArray(o.peers), 8000);
    const wantGot = ['127.0.0.9:5555'];
    check('BEP5-Q-4:answered-get_peers', sameJson(got?.peers, wantGot), { actual: got?.peers ?? null, expected: wantGot });
    const answered = node.node.stats.queriesAnswered;
    check('BEP5-Q-2..Q-4:queries-answered', answered >= 2, { queriesAnswered: answered });
  } finally {
    try {
      appendFileSync(ltIn, 'quit\n');
    } catch {
      /* libtorrent is gone: the lab stops it anyway */
    }
    node.close();
  }
});
