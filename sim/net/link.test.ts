import test from 'ava';
import { SimWorld } from '../world.js';
import { createSimHost } from '../host.js';
import { record, handshakeOf, type Seen } from '../testing/recorder.js';
import type { PeerLink } from '../../core/seam/net.js';
import { SimError } from '../kernel/errors.js';
import { virtualBlock } from '../storage/virtual-data.js';

/** Two nodes, 10 ms one-way (5 + 5 access), unlimited bandwidth unless given. */
function pair(opts: { upBps?: number; downBps?: number } = {}) {
  const world = new SimWorld({ seed: 1 });
  const a = world.addNode({ id: 'a', accessLatencyMs: 5, upBps: opts.upBps ?? Infinity, downBps: opts.downBps ?? Infinity });
  const b = world.addNode({ id: 'b', accessLatencyMs: 5, upBps: opts.upBps ?? Infinity, downBps: opts.downBps ?? Infinity });
  return { world, a, b, ha: createSimHost(world, 'a'), hb: createSimHost(world, 'b') };
}

const kinds = (s: Seen[]) => s.map((x) => (x.ev === 'message' ? x.m.type : x.ev));

test('link: dial, accept, handshake first, in-order messages; latency shows in the times', (t) => {
  const { world, b, ha, hb } = pair();
  let bSeen: Seen[] = [];
  world.within('b', () => hb.peers.listen(6881, (link) => { bSeen = record(world.kernel, link); }, () => {}));
  let aSeen: Seen[] = [];
  world.within('a', () => {
    const link = ha.peers.connect({ host: b.address, port: 6881 });
    aSeen = record(world.kernel, link);
    t.true(link.outgoing);
    // Allowed before the connection is up: queued (seam contract).
    link.sendHandshake(handshakeOf(1));
    link.send({ type: 'interested' });
    for (let i = 0; i < 5; i++) link.send({ type: 'have', index: i });
  });
  world.run();
  t.deepEqual(kinds(bSeen), ['handshake', 'interested', 'have', 'have', 'have', 'have', 'have']);
  t.deepEqual(bSeen.slice(2).map((x) => (x.ev === 'message' && x.m.type === 'have' ? x.m.index : -1)), [0, 1, 2, 3, 4]);
  // SYN at 10, SYN-ACK at 20 (a established), data arrives at 30.
  t.is(bSeen[0].t, 30);
  t.deepEqual(aSeen, [], 'b never answered');
});

test('link: events that arrive before attach() are queued and replayed in order', (t) => {
  const { world, b, ha, hb } = pair();
  let accepted: PeerLink | undefined;
  world.within('b', () => hb.peers.listen(6881, (link) => { accepted = link; }, () => {}));
  world.within('a', () => {
    const link = ha.peers.connect({ host: b.address, port: 6881 });
    link.sendHandshake(handshakeOf(2));
    link.send({ type: 'unchoke' });
    world.kernel.schedule(25, () => link.close('done'));
  });
  world.run(); // everything, including the close, reaches b before anyone attaches
  t.truthy(accepted);
  const seen = record(world.kernel, accepted!);
  t.deepEqual(seen, [], 'replay is asynchronous, not inside attach()');
  world.run();
  t.deepEqual(kinds(seen), ['handshake', 'unchoke', 'close']);
  const close = seen[2];
  t.true(close.ev === 'close' && close.info.local === false && /peer closed: done/.test(close.info.reason));
});

test('link: close fires onClose exactly once on both sides; the remote side hears it one latency later', (t) => {
  const { world, b, ha, hb } = pair();
  let bSeen: Seen[] = [];
  let bLink: PeerLink | undefined;
  world.within('b', () => hb.peers.listen(6881, (link) => { bLink = link; bSeen = record(world.kernel, link); }, () => {}));
  let aSeen: Seen[] = [];
  world.within('a', () => {
    const link = ha.peers.connect({ host: b.address, port: 6881 });
    aSeen = record(world.kernel, link);
    link.sendHandshake(handshakeOf(3));
    world.kernel.schedule(100, () => { link.close('bye'); link.close('again'); link.send({ type: 'choke' }); });
  });
  world.run();
  t.deepEqual(kinds(aSeen), ['close']);
  t.deepEqual(kinds(bSeen), ['handshake', 'close']);
  const [ca, cb] = [aSeen[0], bSeen[1]];
  t.true(ca.ev === 'close' && ca.info.local && ca.info.reason === 'bye' && ca.t === 100);
  t.true(cb.ev === 'close' && !cb.info.local && cb.t === 110);
  // Closing the other end afterwards changes nothing.
  bLink!.close('late');
  world.run();
  t.is(bSeen.length, 2);
});

test('link: a close never overtakes messages already on the wire', (t) => {
  // Slow downlink at b: the piece is still in b's downlink queue when a closes.
  const world = new SimWorld({ seed: 1 });
  const a = world.addNode({ id: 'a', accessLatencyMs: 5, upBps: Infinity, downBps: Infinity });
  const b = world.addNode({ id: 'b', accessLatencyMs: 5, upBps: Infinity, downBps: 16_397 }); // 1 s per block
  const ha = createSimHost(world, 'a'), hb = createSimHost(world, 'b');
  let bSeen: Seen[] = [];
  world.within('b', () => hb.peers.listen(1, (l) => { bSeen = record(world.kernel, l); }, () => {}));
  world.within('a', () => {
    const link = ha.peers.connect({ host: b.address, port: 1 });
    record(world.kernel, link);
    link.sendHandshake(handshakeOf(4));
    link.send({ type: 'piece', index: 0, begin: 0, block: virtualBlock(16384, false) });
    world.kernel.schedule(25, () => link.close('quit'));
  });
  world.run();
  t.deepEqual(kinds(bSeen), ['handshake', 'piece', 'close']);
  t.true(bSeen[2].t >= bSeen[1].t);
  t.true(Math.abs(bSeen[1].t - (20 + 10 + 68 / 16.397 + 1000)) < 1e-6);
});

test('link: dialing a port nobody listens on → connection refused after one RTT', (t) => {
  const { world, b, ha } = pair();
  let seen: Seen[] = [];
  world.within('a', () => { seen = record(world.kernel, ha.peers.connect({ host: b.address, port: 4444 })); });
  world.run();
  t.is(seen.length, 1);
  const c = seen[0];
  t.true(c.ev === 'close' && c.info.reason === 'connection refused' && !c.info.local);
  t.is(c.t, 20);
});

test('link: dialing a stopped node or an unknown address times out', (t) => {
  const { world, b, ha } = pair();
  world.stopNode('b');
  let s1: Seen[] = [], s2: Seen[] = [];
  world.within('a', () => {
    s1 = record(world.kernel, ha.peers.connect({ host: b.address, port: 6881 }));
    s2 = record(world.kernel, ha.peers.connect({ host: '192.0.2.1', port: 6881 }));
  });
  world.run();
  for (const s of [s1, s2]) {
    t.is(s.length, 1);
    t.true(s[0].ev === 'close' && s[0].info.reason === 'connect timeout' && s[0].t === 10_000);
  }
});

test('link: stopping a node resets its links at the peers and silences it', (t) => {
  const { world, b, ha, hb } = pair();
  let bSeen: Seen[] = [];
  world.within('b', () => hb.peers.listen(6881, (l) => { bSeen = record(world.kernel, l); }, () => {}));
  let aSeen: Seen[] = [];
  world.within('a', () => {
    const link = ha.peers.connect({ host: b.address, port: 6881 });
    aSeen = record(world.kernel, link);
    link.sendHandshake(handshakeOf(5));
    ha.timers.after(1000, () => t.fail('timer of a stopped node fired'));
  });
  world.at(50, () => world.stopNode('a'));
  world.run();
  t.deepEqual(kinds(aSeen), [], 'a dead node hears nothing');
  t.deepEqual(kinds(bSeen), ['handshake', 'close']);
  t.true(bSeen[1].ev === 'close' && bSeen[1].info.reason === 'connection reset' && bSeen[1].t === 60);
  t.false(world.node('a').alive);
  t.throws(() => ha.peers.connect({ host: b.address, port: 1 }), { message: /stopped node/ });
});

test('link: a restarted node is a fresh incarnation that can dial again', (t) => {
  const { world, b, hb } = pair();
  let accepted = 0;
  world.within('b', () => hb.peers.listen(6881, (l) => { accepted++; record(world.kernel, l); }, () => {}));
  world.stopNode('a');
  world.restartNode('a');
  const ha2 = createSimHost(world, 'a');
  t.is(ha2.nodeId, 'a#1');
  world.within('a', () => { const l = ha2.peers.connect({ host: b.address, port: 6881 }); record(world.kernel, l); l.sendHandshake(handshakeOf(6)); });
  world.run();
  t.is(accepted, 1);
});

test('link: queuedBytes counts unsent bytes; onDrain fires below the low-water mark', (t) => {
  const world = new SimWorld({ seed: 1, net: { lowWaterBytes: 16 * 1024 } });
  const b = world.addNode({ id: 'b', accessLatencyMs: 5, upBps: 1_000_000, downBps: Infinity });
  world.addNode({ id: 'a', accessLatencyMs: 5, upBps: 1_000_000, downBps: Infinity }); // 1 MB/s
  const ha = createSimHost(world, 'a'), hb = createSimHost(world, 'b');
  world.within('b', () => hb.peers.listen(6881, (l) => { record(world.kernel, l); }, () => {}));
  let seen: Seen[] = [];
  const q: number[] = [];
  world.within('a', () => {
    const link = ha.peers.connect({ host: b.address, port: 6881 });
    seen = record(world.kernel, link, { onDrain: () => q.push(link.queuedBytes()) });
    link.sendHandshake(handshakeOf(7));
    for (let i = 0; i < 4; i++) link.send({ type: 'piece', index: i, begin: 0, block: virtualBlock(16384, false) });
    t.is(link.queuedBytes(), 68 + 4 * 16397);
    world.kernel.schedule(20 + 0.068 + 16.397 * 2 + 1, () => q.push(link.queuedBytes())); // mid third block
  });
  world.run();
  t.deepEqual(kinds(seen), ['drain']);
  t.is(q[0], 2 * 16397, 'third block still owed');
  t.true(q[1] < 16 * 1024, 'drain fired below the low-water mark');
});

test('link: messages carry the very same objects (no copies of blocks)', (t) => {
  const { world, b, ha, hb } = pair();
  let got: Uint8Array | undefined;
  world.within('b', () => hb.peers.listen(6881, (l) => { record(world.kernel, l, { onMessage: (m) => { if (m.type === 'piece') got = m.block; } }); }, () => {}));
  const block = virtualBlock(16384, false);
  world.within('a', () => {
    const l = ha.peers.connect({ host: b.address, port: 6881 });
    record(world.kernel, l);
    l.sendHandshake(handshakeOf(8));
    l.send({ type: 'piece', index: 0, begin: 0, block });
  });
  world.run();
  t.is(got, block);
});

test('link: messages sent before sendHandshake are held so the handshake still goes first', (t) => {
  const { world, b, ha, hb } = pair();
  let bSeen: Seen[] = [];
  world.within('b', () => hb.peers.listen(6881, (l) => { bSeen = record(world.kernel, l); }, () => {}));
  world.within('a', () => {
    const l = ha.peers.connect({ host: b.address, port: 6881 });
    record(world.kernel, l);
    l.send({ type: 'interested' });
    t.is(l.queuedBytes(), 5, 'held bytes count as queued');
    l.sendHandshake(handshakeOf(10));
    l.sendHandshake(handshakeOf(11)); // a repeat is ignored, as in the real host
    l.send({ type: 'unchoke' });
  });
  world.run();
  t.deepEqual(kinds(bSeen), ['handshake', 'interested', 'unchoke']);
  t.true(bSeen[0].ev === 'handshake' && bSeen[0].h.infoHash[0] === 10);
});

test('link: handOver inside onHandshake sends every later event to the new owner', (t) => {
  const { world, b, ha, hb } = pair();
  const first: Seen[] = [];
  let second: Seen[] = [];
  world.within('b', () => hb.peers.listen(6881, (link) => {
    link.attach({
      onHandshake: (h) => { first.push({ t: world.kernel.now, ev: 'handshake', h }); second = []; handTo(link); },
      onMessage: (m) => { first.push({ t: world.kernel.now, ev: 'message', m }); },
      onDrain: () => {},
      onClose: (info) => { first.push({ t: world.kernel.now, ev: 'close', info }); },
    });
  }, () => {}));
  // The new owner records like record() does, but installed with handOver.
  function handTo(link: PeerLink): void {
    link.handOver({
      onHandshake: () => t.fail('the handshake is not repeated'),
      onMessage: (m) => { second.push({ t: world.kernel.now, ev: 'message', m }); },
      onDrain: () => {},
      onClose: (info) => { second.push({ t: world.kernel.now, ev: 'close', info }); },
    });
  }
  world.within('a', () => {
    const link = ha.peers.connect({ host: b.address, port: 6881 });
    link.sendHandshake(handshakeOf(3));
    link.send({ type: 'interested' }); // travels in the same batch as the handshake
    link.send({ type: 'have', index: 7 });
    world.kernel.schedule(100, () => link.close('bye'));
  });
  world.run();
  t.deepEqual(kinds(first), ['handshake']);
  t.deepEqual(kinds(second), ['interested', 'have', 'close']);
});

test('link: handOver on a link nobody attached is attach', (t) => {
  const { world, b, ha } = pair();
  world.within('a', () => {
    const l = ha.peers.connect({ host: b.address, port: 6881 });
    l.handOver({ onHandshake: () => {}, onMessage: () => {}, onDrain: () => {}, onClose: () => {} });
    t.throws(() => record(world.kernel, l), { message: /attach called twice/ });
  });
});

test('link: a double attach is a loud usage error', (t) => {
  const { world, b, ha } = pair();
  world.within('a', () => {
    const l = ha.peers.connect({ host: b.address, port: 6881 });
    record(world.kernel, l);
    t.throws(() => record(world.kernel, l), { message: /attach called twice/ });
  });
});

test('link: listen reports EADDRINUSE for a taken port and picks a port for 0', (t) => {
  const { world, ha } = pair();
  const results: Array<[string | null, number | undefined]> = [];
  world.within('a', () => {
    ha.peers.listen(6881, () => {}, (e, l) => results.push([e ? (e as { code?: string }).code ?? 'err' : null, l?.port]));
    ha.peers.listen(6881, () => {}, (e, l) => results.push([e ? (e as { code?: string }).code ?? 'err' : null, l?.port]));
    ha.peers.listen(0, () => {}, (e, l) => results.push([e ? 'err' : null, l?.port]));
  });
  world.run();
  t.deepEqual(results[0], [null, 6881]);
  t.deepEqual(results[1], ['EADDRINUSE', undefined]);
  t.is(results[2][0], null);
  t.true(results[2][1]! >= 49152);
});

test('link: an error in a link handler names the receiving node', (t) => {
  const { world, b, ha, hb } = pair();
  world.within('b', () => hb.peers.listen(6881, (l) => { record(world.kernel, l, { onHandshake: () => { throw new Error('bad handshake'); } }); }, () => {}));
  world.within('a', () => { const l = ha.peers.connect({ host: b.address, port: 6881 }); record(world.kernel, l); l.sendHandshake(handshakeOf(9)); });
  const err = t.throws(() => world.run(), { instanceOf: SimError }) as SimError;
  t.is(err.node, 'b');
  t.is(err.time, 30);
});

/** Three nodes: a and c send to b, whose downlink (and nothing else) is slow. */
function fanIn(downBps: number) {
  const world = new SimWorld({ seed: 1 });
  for (const id of ['a', 'b', 'c']) world.addNode({ id, accessLatencyMs: 5, upBps: Infinity, downBps: id === 'b' ? downBps : Infinity });
  const hosts = { a: createSimHost(world, 'a'), b: createSimHost(world, 'b'), c: createSimHost(world, 'c') };
  return { world, hosts, b: world.node('b') };
}

test('link: two senders share the receiver\'s one FIFO downlink — each link in order, both interleaved, at the downlink\'s rate; a close waits for its own link\'s data only', (t) => {
  const { world, hosts, b } = fanIn(163_840); // 100 ms per 16 KiB block
  const seen: Seen[][] = [];
  world.within('b', () => hosts.b.peers.listen(1, (l) => { seen.push(record(world.kernel, l)); }, () => {}));
  for (const [id, tag] of [['a', 7], ['c', 8]] as const) {
    world.within(id, () => {
      const link = hosts[id].peers.connect({ host: b.address, port: 1 });
      record(world.kernel, link);
      link.sendHandshake(handshakeOf(tag));
      for (let i = 0; i < 10; i++) {
        link.send({ type: 'piece', index: i, begin: 0, block: virtualBlock(16384, false) });
        link.send({ type: 'have', index: i });
      }
      if (id === 'a') world.kernel.schedule(25, () => link.close('done sending'));
    });
  }
  world.run();
  t.is(seen.length, 2);
  const byTag = new Map(seen.map((s) => [s[0].ev === 'handshake' ? s[0].h.peerId[0] : -1, s]));
  const fromA = byTag.get(7)!, fromC = byTag.get(8)!;
  for (const s of [fromA, fromC]) {
    const idx = (type: string) => s.flatMap((x) => (x.ev === 'message' && x.m.type === type ? [(x.m as { index: number }).index] : []));
    t.deepEqual(idx('piece'), [...Array(10).keys()], 'pieces in order');
    t.deepEqual(idx('have'), [...Array(10).keys()], 'haves in order');
    for (let i = 1; i < s.length; i++) t.true(s[i].t >= s[i - 1].t);
  }
  // a's close reached b's downlink while a's data (and c's) was still queued: it comes after
  // a's last message, and does not wait for c's.
  const aClose = fromA[fromA.length - 1];
  t.is(aClose.ev, 'close');
  const lastOf = (s: Seen[]) => s.filter((x) => x.ev === 'message').pop()!.t;
  t.true(aClose.t >= lastOf(fromA));
  t.true(aClose.t < lastOf(fromC), 'not behind the other link\'s data');
  // Interleaved, not one sender after the other …
  const firstC = fromC.find((x) => x.ev === 'message')!.t;
  t.true(firstC < lastOf(fromA));
  // … and the downlink ran at its rate: every byte of both links through one 163,840 B/s queue.
  const bytes = 2 * (68 + 10 * (13 + 16384) + 10 * 9);
  const first = Math.min(fromA[0].t, fromC[0].t) - 68 / 163.84;
  t.true(Math.abs(lastOf(fromC) - first - (bytes / 163.84)) < 1, `${lastOf(fromC) - first} ms for ${bytes} bytes`);
});

test('link: a node stopped with data still in its downlink — nothing reaches the new incarnation, the sender hears a reset, and new links work', (t) => {
  const { world, hosts, b } = fanIn(16_384); // 1 s per block
  const old: Seen[][] = [];
  world.within('b', () => hosts.b.peers.listen(1, (l) => { old.push(record(world.kernel, l)); }, () => {}));
  let aSeen: Seen[] = [];
  world.within('a', () => {
    const link = hosts.a.peers.connect({ host: b.address, port: 1 });
    aSeen = record(world.kernel, link);
    link.sendHandshake(handshakeOf(9));
    for (let i = 0; i < 5; i++) link.send({ type: 'piece', index: i, begin: 0, block: virtualBlock(16384, false) });
  });
  world.at(1500, () => world.stopNode('b'));
  world.at(1600, () => world.restartNode('b'));
  const fresh: Seen[][] = [];
  world.at(1700, () => {
    const hb2 = createSimHost(world, 'b');
    world.within('b', () => hb2.peers.listen(1, (l) => { fresh.push(record(world.kernel, l)); }, () => {}));
    world.within('a', () => {
      const link = hosts.a.peers.connect({ host: b.address, port: 1 });
      record(world.kernel, link);
      link.sendHandshake(handshakeOf(10));
      link.send({ type: 'have', index: 3 });
    });
  });
  world.run();
  const pieces = (s: Seen[]) => s.filter((x) => x.ev === 'message' && x.m.type === 'piece').length;
  t.is(old.length, 1);
  t.true(pieces(old[0]) >= 1 && pieces(old[0]) < 5, `the old incarnation got ${pieces(old[0])} of 5 before it stopped`);
  t.false(old[0].some((x) => x.t > 1500), 'nothing after the stop');
  t.true(aSeen.some((x) => x.ev === 'close' && x.info.reason === 'connection reset'));
  t.is(fresh.length, 1);
  t.deepEqual(kinds(fresh[0]), ['handshake', 'have'], 'the new incarnation sees only its own link');
});
