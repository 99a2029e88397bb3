import test from 'ava';
import fc from 'fast-check';
import { SimWorld } from '../world.js';
import { createSimHost } from '../host.js';
import { record, handshakeOf } from '../testing/recorder.js';
import { virtualBlock } from '../storage/virtual-data.js';
import { transferTimeMs } from './model.js';
import type { PeerLink } from '../../core/seam/net.js';
import type { NetConfig } from './config.js';

const PIECE_WIRE = 13 + 16384;

interface Flow { to: string; blocks: number }

/**
 * Sender `s` dials each receiver, handshakes, waits until `startAt` (links established and
 * idle) and then queues all blocks at once. Returns per-receiver time of the last block.
 */
function transfer(p: {
  sender: { upBps: number; downBps?: number; accessLatencyMs: number };
  receivers: Array<{ id: string; upBps?: number; downBps: number; accessLatencyMs: number }>;
  flows: Flow[];
  net?: NetConfig;
  startAt?: number;
}) {
  const world = new SimWorld({ seed: 7, net: p.net });
  world.addNode({ id: 's', upBps: p.sender.upBps, downBps: p.sender.downBps ?? Infinity, accessLatencyMs: p.sender.accessLatencyMs });
  for (const r of p.receivers) world.addNode({ id: r.id, upBps: r.upBps ?? Infinity, downBps: r.downBps, accessLatencyMs: r.accessLatencyMs });
  const hs = createSimHost(world, 's');
  const last = new Map<string, number>();
  const count = new Map<string, number>();
  for (const r of p.receivers) {
    const h = createSimHost(world, r.id);
    world.within(r.id, () => h.peers.listen(6881, (l) => {
      record(world.kernel, l, { onMessage: (m) => { if (m.type === 'piece') { last.set(r.id, world.now); count.set(r.id, (count.get(r.id) ?? 0) + 1); } } });
    }, () => {}));
  }
  const links = new Map<string, PeerLink>();
  world.within('s', () => {
    for (const r of p.receivers) {
      const l = hs.peers.connect({ host: world.node(r.id).address, port: 6881 });
      record(world.kernel, l);
      l.sendHandshake(handshakeOf(1));
      links.set(r.id, l);
    }
  });
  const startAt = p.startAt ?? 10_000;
  world.at(startAt, () => world.within('s', () => {
    for (const f of p.flows) for (let i = 0; i < f.blocks; i++) links.get(f.to)!.send({ type: 'piece', index: i, begin: 0, block: virtualBlock(16384, false) });
  }));
  world.run();
  const done = new Map<string, number>();
  for (const [id, t] of last) done.set(id, t - startAt);
  return { done, count, world };
}

test('bandwidth: a two-node transfer takes the time the model predicts (uplink bottleneck), within 2 %', (t) => {
  const up = 1_000_000, down = 10_000_000, blocks = 300;
  const { done, count } = transfer({
    sender: { upBps: up, accessLatencyMs: 20 },
    receivers: [{ id: 'r', downBps: down, accessLatencyMs: 5 }],
    flows: [{ to: 'r', blocks }],
  });
  const predicted = transferTimeMs({ count: blocks, size: PIECE_WIRE, upBps: up, downBps: down, latencyMs: 25 });
  t.is(count.get('r'), blocks);
  const got = done.get('r')!;
  t.true(Math.abs(got - predicted) / predicted < 0.02, `got ${got} ms, model ${predicted} ms`);
  // And the model itself is what a human would say: ~300 × 16.4 ms ≈ 4.9 s.
  t.true(Math.abs(predicted - (blocks * PIECE_WIRE) / 1000 - 25 - PIECE_WIRE / 10_000) < 1e-6);
});

test('bandwidth: the receiver downlink is the bottleneck when it is slower, within 2 %', (t) => {
  const up = 8_000_000, down = 500_000, blocks = 100;
  const { done } = transfer({
    sender: { upBps: up, accessLatencyMs: 1 },
    receivers: [{ id: 'r', downBps: down, accessLatencyMs: 40 }],
    flows: [{ to: 'r', blocks }],
    net: { windowBytes: Infinity },
  });
  const predicted = transferTimeMs({ count: blocks, size: PIECE_WIRE, upBps: up, downBps: down, latencyMs: 41 });
  const got = done.get('r')!;
  t.true(Math.abs(got - predicted) / predicted < 0.02, `got ${got} ms, model ${predicted} ms`);
});

test('bandwidth: model agreement within 2 % for random capacities, latencies and sizes (property)', (t) => {
  fc.assert(fc.property(
    fc.integer({ min: 50_000, max: 50_000_000 }),
    fc.integer({ min: 50_000, max: 50_000_000 }),
    fc.integer({ min: 0, max: 150 }),
    fc.integer({ min: 1, max: 120 }),
    (up, down, lat, blocks) => {
      const { done } = transfer({
        sender: { upBps: up, accessLatencyMs: lat },
        receivers: [{ id: 'r', downBps: down, accessLatencyMs: 0 }],
        flows: [{ to: 'r', blocks }],
        net: { windowBytes: Infinity },
        startAt: 1000,
      });
      const predicted = transferTimeMs({ count: blocks, size: PIECE_WIRE, upBps: up, downBps: down, latencyMs: lat });
      return Math.abs(done.get('r')! - predicted) / predicted < 0.02;
    },
  ), { numRuns: 60 });
  t.pass();
});

test('bandwidth: an uplink is shared round-robin between busy links', (t) => {
  const up = 2_000_000, blocks = 100;
  const { done } = transfer({
    sender: { upBps: up, accessLatencyMs: 10 },
    receivers: [{ id: 'r1', downBps: 100e6, accessLatencyMs: 10 }, { id: 'r2', downBps: 100e6, accessLatencyMs: 10 }],
    flows: [{ to: 'r1', blocks }, { to: 'r2', blocks }],
  });
  const total = (2 * blocks * PIECE_WIRE) / (up / 1000);
  const [d1, d2] = [done.get('r1')!, done.get('r2')!];
  // Interleaved: both finish together at ≈ the time for all 200 blocks (one block apart).
  t.true(Math.abs(d2 - d1) <= PIECE_WIRE / (up / 1000) + 1e-6, `${d1} vs ${d2}`);
  t.true(Math.abs(Math.max(d1, d2) - total) / total < 0.02);
});

test('bandwidth: a congested receiver pushes back (window) and the uplink serves the others', (t) => {
  const up = 2_000_000, blocks = 100;
  const { done, count } = transfer({
    sender: { upBps: up, accessLatencyMs: 5 },
    receivers: [{ id: 'slow', downBps: 100_000, accessLatencyMs: 5 }, { id: 'fast', downBps: 100e6, accessLatencyMs: 5 }],
    flows: [{ to: 'slow', blocks }, { to: 'fast', blocks }],
    net: { windowBytes: 64 * 1024 },
  });
  t.is(count.get('fast'), blocks);
  t.is(count.get('slow'), blocks);
  // Without the window, round-robin would interleave the two links to the end and 'fast'
  // would need ≈ 2 × alone. With it, 'slow' only takes what its downlink drains (5 % of the
  // uplink) plus one window, and 'fast' gets the rest.
  const alone = (blocks * PIECE_WIRE) / (up / 1000);
  t.true(done.get('fast')! < alone * 1.15, `fast took ${done.get('fast')} ms, alone ${alone} ms`);
  // 'slow' is paced by its downlink: ≈ 100 blocks at 100 kB/s.
  const slowModel = (blocks * PIECE_WIRE) / 100;
  t.true(Math.abs(done.get('slow')! - slowModel) / slowModel < 0.02);
});

test('bandwidth: without a window the same uplink is split evenly', (t) => {
  const up = 2_000_000, blocks = 100;
  const { done } = transfer({
    sender: { upBps: up, accessLatencyMs: 5 },
    receivers: [{ id: 'slow', downBps: 100_000, accessLatencyMs: 5 }, { id: 'fast', downBps: 100e6, accessLatencyMs: 5 }],
    flows: [{ to: 'slow', blocks }, { to: 'fast', blocks }],
    net: { windowBytes: Infinity },
  });
  const both = (2 * blocks * PIECE_WIRE) / (up / 1000);
  t.true(Math.abs(done.get('fast')! - both) / both < 0.02);
});
