import test from 'ava';
import fc from 'fast-check';
import { decode, encode, isDict, type BDict } from '../bencode/index.js';
import type { Address } from '../seam/net.js';
import { fromUtf8, utf8 } from '../util/bytes.js';
import { seededRandom } from '../util/prng.js';
import { decodeCompactPeer } from './compact.js';
import { DhtNode } from './node.js';
import { MemoryNetwork, VirtualScheduler } from './testing/memory-world.js';
import { buildSwarm } from './testing/swarm.js';

const HASH = utf8('mnopqrstuvwxyz123456');

/** One DhtNode plus a raw "attacker/probe" socket that sends hand-made datagrams. */
function lab(nodeOpts: ConstructorParameters<typeof DhtNode>[1] = {}) {
  const sched = new VirtualScheduler();
  const rng = seededRandom(5);
  const net = new MemoryNetwork(sched, rng.fork('net'), { latencyMs: 5 });
  const nodeAddr: Address = { host: '10.0.0.1', port: 6881 };
  let node!: DhtNode;
  net.udpFor(nodeAddr.host).bind({ port: nodeAddr.port }, (d, f) => node.handleDatagram(d, f), (_e, s) => {
    node = new DhtNode({ clock: sched, timers: sched, random: rng.fork('n'), send: (d, to) => s!.send(d, to) }, nodeOpts);
  });
  const inbox: BDict[] = [];
  const sizes: number[] = [];
  let send!: (d: Uint8Array) => void;
  const probeAddr: Address = { host: '10.9.9.9', port: 4000 };
  net.udpFor(probeAddr.host).bind({ port: probeAddr.port }, (d) => { sizes.push(d.length); inbox.push(decode(d) as BDict); }, (_e, s) => { send = (d) => s!.send(d, nodeAddr); });
  const ask = (msg: Record<string, unknown>): BDict => {
    const before = inbox.length;
    send(encode(msg as Parameters<typeof encode>[0]));
    sched.runUntil(sched.now() + 50);
    return inbox.slice(before).find((m) => fromUtf8(m.y as Uint8Array) !== 'q') ?? {};
  };
  return { sched, net, node: () => node, ask, inbox, sizes, send: (d: Uint8Array) => { send(d); sched.runUntil(sched.now() + 50); }, sendNow: (d: Uint8Array) => send(d), probeAddr };
}

const ID = utf8('abcdefghij0123456789');
const errCode = (m: BDict) => (Array.isArray(m.e) ? m.e[0] : undefined);

test('BEP5-Q-2: ping answered with our id and the echoed transaction id', (t) => {
  const L = lab();
  const r = L.ask({ t: utf8('aa'), y: 'q', q: 'ping', a: { id: ID } });
  t.is(fromUtf8(r.t as Uint8Array), 'aa');
  t.is(fromUtf8(r.y as Uint8Array), 'r');
  t.deepEqual((r.r as BDict).id, L.node().id);
});

test('BEP5-KRPC-8: unknown method → 204, malformed → 203, bad token → 203', (t) => {
  const L = lab();
  t.is(errCode(L.ask({ t: utf8('t1'), y: 'q', q: 'vote', a: { id: ID } })), 204);
  t.is(errCode(L.ask({ t: utf8('t2'), y: 'q', q: 'find_node', a: { id: ID } })), 203); // no target
  t.is(errCode(L.ask({ t: utf8('t3'), y: 'x' })), 203);
  t.is(errCode(L.ask({ t: utf8('t4'), y: 'q', q: 'announce_peer', a: { id: ID, info_hash: HASH, port: 7000, token: utf8('forged!!') } })), 203);
  t.is(L.node().peers.get(HASH, L.sched.now(), 10).length, 0);
  // Undecodable bytes without a readable tid get no answer at all.
  const n = L.inbox.length;
  L.send(utf8('d1:t2:'));
  t.is(L.inbox.length, n);
});

test('BEP5-Q-4 BEP5-Q-6 BEP5-Q-7: get_peers token → announce_peer stores the querier (implied_port uses the source port)', (t) => {
  const L = lab();
  const gp = L.ask({ t: utf8('g1'), y: 'q', q: 'get_peers', a: { id: ID, info_hash: HASH } });
  const token = (gp.r as BDict).token as Uint8Array;
  t.truthy(token);
  t.truthy((gp.r as BDict).nodes !== undefined); // no peers yet → nodes
  const ok = L.ask({ t: utf8('a1'), y: 'q', q: 'announce_peer', a: { id: ID, info_hash: HASH, port: 7000, token } });
  t.is(fromUtf8(ok.y as Uint8Array), 'r');
  t.deepEqual(L.node().peers.get(HASH, L.sched.now(), 10), [{ host: '10.9.9.9', port: 7000 }]);
  L.ask({ t: utf8('a2'), y: 'q', q: 'announce_peer', a: { id: ID, info_hash: HASH, port: 7000, implied_port: 1, token } });
  const peers = L.node().peers.get(HASH, L.sched.now(), 10);
  t.true(peers.some((p) => p.port === L.probeAddr.port));
  const gp2 = L.ask({ t: utf8('g2'), y: 'q', q: 'get_peers', a: { id: ID, info_hash: HASH } });
  const values = ((gp2.r as BDict).values as Uint8Array[]).map((v) => decodeCompactPeer(v));
  t.is(values.length, 2);
});

test('peer storage: announced peers expire after the TTL (30 min default)', (t) => {
  const L = lab();
  const token = ((L.ask({ t: utf8('g1'), y: 'q', q: 'get_peers', a: { id: ID, info_hash: HASH } }).r as BDict).token) as Uint8Array;
  const sentAt = L.sched.now();
  L.ask({ t: utf8('a1'), y: 'q', q: 'announce_peer', a: { id: ID, info_hash: HASH, port: 7000, token } });
  const storedAt = sentAt + 5; // one 5 ms hop
  t.is(L.node().peers.get(HASH, storedAt + 30 * 60_000 - 1, 10).length, 1);
  t.is(L.node().peers.get(HASH, storedAt + 30 * 60_000, 10).length, 0);
});

test('hardening: a query flood from one address is rate limited (token bucket)', (t) => {
  const L = lab({ rateLimit: { perSec: 10, burst: 20 } });
  const replies = () => L.inbox.filter((m) => fromUtf8(m.y as Uint8Array) === 'r').length;
  // 100 pings in one instant: exactly `burst` are answered.
  for (let i = 0; i < 100; i++) L.sendNow(encode({ t: new Uint8Array([i]), y: 'q', q: 'ping', a: { id: ID } }));
  L.sched.runUntil(L.sched.now() + 100);
  t.is(replies(), 20);
  t.is(L.node().stats.droppedRateLimited, 80);
  // One second later the bucket has refilled by `perSec`.
  L.sched.runUntil(L.sched.now() + 1000);
  for (let i = 0; i < 100; i++) L.sendNow(encode({ t: new Uint8Array([i]), y: 'q', q: 'ping', a: { id: ID } }));
  L.sched.runUntil(L.sched.now() + 100);
  t.true(replies() - 20 >= 10 && replies() - 20 <= 12, `${replies() - 20}`);
});

test('hardening: no amplification — an unverified address gets at most 4× its query size', (t) => {
  const L = lab();
  const node = L.node();
  for (let i = 0; i < 60; i++) node.peers.add(HASH, { host: `10.1.0.${i}`, port: 1000 + i }, 0);
  const q = encode({ t: utf8('g1'), y: 'q', q: 'get_peers', a: { id: ID, info_hash: HASH } });
  const n0 = L.sizes.length;
  L.send(q);
  const replyIdx = L.inbox.slice(n0).findIndex((m) => fromUtf8(m.y as Uint8Array) === 'r');
  const size = L.sizes[n0 + replyIdx];
  t.true(size <= 4 * q.length, `${size} > 4 × ${q.length}`);
  const values = ((L.inbox[n0 + replyIdx].r as BDict).values as Uint8Array[]);
  t.true(values.length > 0 && values.length < 50);
  t.true(node.stats.repliesTrimmed >= 1);
  // The node pinged us to verify (we queried it and its table has room); answer that ping.
  const ping = L.inbox.find((m) => fromUtf8(m.y as Uint8Array) === 'q' && fromUtf8(m.q as Uint8Array) === 'ping');
  t.truthy(ping);
  L.send(encode({ t: ping!.t as Uint8Array, y: 'r', r: { id: ID } }));
  // Verified now: the full 50 values.
  const r2 = L.ask({ t: utf8('g2'), y: 'q', q: 'get_peers', a: { id: ID, info_hash: HASH } });
  t.is(((r2.r as BDict).values as Uint8Array[]).length, 50);
  t.truthy(node.table.getByAddr(L.probeAddr));
});

test('BEP5-RT-1: a querier enters the routing table only after answering our ping; ro=1 never', (t) => {
  const L = lab();
  L.ask({ t: utf8('p1'), y: 'q', q: 'ping', a: { id: ID }, ro: 1 });
  t.false(L.inbox.some((m) => fromUtf8(m.y as Uint8Array) === 'q'));
  L.ask({ t: utf8('p2'), y: 'q', q: 'ping', a: { id: ID } });
  t.is(L.node().table.size, 0); // pinged, not yet answered
  const ping = L.inbox.find((m) => fromUtf8(m.y as Uint8Array) === 'q');
  t.truthy(ping && isDict(ping.a));
  L.send(encode({ t: ping!.t as Uint8Array, y: 'r', r: { id: ID } }));
  t.is(L.node().table.size, 1);
});

test('BEP5-LKP-1: in a 50-node network get_peers finds a peer announced by another node', (t) => {
  const s = buildSwarm(50, 42, { net: { latencyMs: 20, jitterMs: 30 } });
  s.sched.runUntil(60_000);
  const tableSizes = s.nodes.map((n) => n.table.size);
  t.true(Math.min(...tableSizes) >= 8, `min table size ${Math.min(...tableSizes)}`);
  const hash = seededRandom(77).bytes(20);
  let announced: { stored: number; attempted: number } | undefined;
  s.nodes[10].announce(hash, 7000, (r) => { announced = r; });
  s.sched.runUntilTrue(() => announced !== undefined, s.sched.now() + 30_000);
  t.truthy(announced);
  t.true(announced!.stored >= 6, `stored at ${announced!.stored} nodes`);
  let found: Address[] | undefined;
  s.nodes[40].getPeers(hash, (r) => { found = r.peers; });
  s.sched.runUntilTrue(() => found !== undefined, s.sched.now() + 30_000);
  t.deepEqual(found, [{ host: s.addrs[10].host, port: 7000 }]);
});

test('BEP5-LKP-1: lookups survive 10 % packet loss and dead nodes (timeouts)', (t) => {
  const s = buildSwarm(50, 7, { net: { latencyMs: 20, jitterMs: 30, loss: 0.1 } });
  s.sched.runUntil(60_000);
  for (let i = 20; i < 30; i++) s.nodes[i].stop(); // 10 nodes vanish
  const hash = seededRandom(78).bytes(20);
  let announced = false;
  s.nodes[5].announce(hash, 7100, () => { announced = true; });
  s.sched.runUntilTrue(() => announced, s.sched.now() + 60_000);
  let found: Address[] | undefined;
  s.nodes[45].getPeers(hash, (r) => { found = r.peers; });
  s.sched.runUntilTrue(() => found !== undefined, s.sched.now() + 60_000);
  t.deepEqual(found, [{ host: s.addrs[5].host, port: 7100 }]);
});

test('BEP5-RT-8: own-id lookup at start fills the table; save → new node from the saved table keeps the id', (t) => {
  const s = buildSwarm(20, 3);
  s.sched.runUntil(30_000);
  const saved = s.nodes[7].save();
  t.true(saved.nodes.length >= 8);
  const clone = new DhtNode({ clock: s.sched, timers: s.sched, random: seededRandom(1), send: () => {} }, { table: saved });
  t.deepEqual(clone.id, s.nodes[7].id);
  t.is(clone.table.size, saved.nodes.length);
});

test('determinism: the same seed gives the same traffic', (t) => {
  const run = () => { const s = buildSwarm(20, 11, { net: { jitterMs: 40 } }); s.sched.runUntil(20_000); return [s.net.datagrams, s.net.bytes, s.nodes.map((n) => n.table.size).join(',')]; };
  t.deepEqual(run(), run());
});


test('fuzz: handleDatagram never throws on arbitrary or mutated datagrams', (t) => {
  const L = lab({ rateLimit: { perSec: 1e9, burst: 1e9 } });
  const node = L.node();
  const from = { host: '10.3.3.3', port: 1 };
  const seeds = [
    encode({ t: utf8('aa'), y: 'q', q: 'get_peers', a: { id: ID, info_hash: HASH } }),
    encode({ t: utf8('aa'), y: 'q', q: 'announce_peer', a: { id: ID, info_hash: HASH, port: 1, token: utf8('12345678'), implied_port: 1 } }),
    encode({ t: utf8('aa'), y: 'r', r: { id: ID, nodes: new Uint8Array(52), values: [new Uint8Array(6)] } }),
  ];
  fc.assert(fc.property(fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.tuple(fc.integer({ min: 0, max: 2 }), fc.array(fc.tuple(fc.nat(), fc.nat(255)), { minLength: 1, maxLength: 3 }))
      .map(([w, edits]) => { const b = seeds[w].slice(); for (const [p, v] of edits) b[p % b.length] = v; return b; }),
  ), (buf) => { node.handleDatagram(buf, from); return true; }), { numRuns: 2000 });
  L.sched.runUntil(L.sched.now() + 10_000);
  t.true(node.stats.received >= 2000);
});
