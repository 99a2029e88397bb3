import test from 'ava';
import { SimWorld } from './world.js';
import { createSimHost } from './host.js';
import { installToySwarm } from './testing/toy-swarm.js';
import { TraceWriter, memorySink } from './trace.js';
import { SimError } from './kernel/errors.js';
import { jainIndex, summarize } from './stats.js';

function toyRun(seed: number, nodes = 30) {
  const sink = memorySink();
  const trace = new TraceWriter({ sink });
  const world = new SimWorld({ seed, trace, net: { traceMessages: true } });
  for (let i = 0; i < nodes; i++) {
    // Two bandwidth classes so the round-robin and downlink queues interleave.
    world.addNode(i % 3 === 0 ? { upBps: 500_000, downBps: 2_000_000, accessLatencyMs: 30 } : { upBps: 5_000_000, downBps: 20_000_000, accessLatencyMs: 5 });
  }
  const res = installToySwarm(world, { peersPerNode: 3, blocksPerLink: 5, pingsPerLink: 3, traceEvents: true });
  world.at(2500, () => world.stopNode('n4')); // a departure mid-run
  const r = world.run();
  trace.close();
  return { text: sink.text(), res, r, world };
}

test('determinism: same seed → byte-identical trace; another seed → a different one', (t) => {
  const a = toyRun(42), b = toyRun(42), c = toyRun(43);
  t.true(a.text.length > 10_000);
  t.is(a.text, b.text);
  t.not(a.text, c.text);
  t.is(a.r.events, b.r.events);
  t.true(a.res.blocksDelivered > 0 && a.res.pingsAnswered > 0);
  // Every line parses and time never goes backwards.
  let last = -1;
  for (const line of a.text.trimEnd().split('\n')) {
    const o = JSON.parse(line) as { t: number };
    t.true(o.t >= last);
    last = o.t;
  }
});

test('world: per-node stats add up (every delivered byte was sent by someone)', (t) => {
  const { world, res } = toyRun(7);
  const nodes = world.nodes();
  const up = nodes.reduce((s, n) => s + n.stats.pieceBytesUp, 0);
  const down = nodes.reduce((s, n) => s + n.stats.pieceBytesDown, 0);
  t.is(down, res.blocksDelivered * 16384);
  t.true(up >= down); // a stopped node's in-flight bytes never arrive
  t.true(jainIndex(nodes.map((n) => n.stats.bytesDown)) > 0.3);
});

test('world: host clock, timers, random are the node\'s; log lines go to the trace', (t) => {
  const sink = memorySink();
  const world = new SimWorld({ seed: 'log', trace: new TraceWriter({ sink }) });
  world.addNode({ id: 'a' });
  const h = createSimHost(world, 'a', { logLevel: 'info' });
  const fired: number[] = [];
  world.within('a', () => {
    h.timers.after(30, () => { fired.push(h.clock.now()); h.log.log('info', 'hello', { x: 1 }); h.log.log('debug', 'hidden'); });
    h.timers.after(30, () => fired.push(-h.clock.now()));
  });
  world.run();
  t.deepEqual(fired, [30, -30]);
  world.trace!.flush();
  t.regex(sink.text(), /\{"t":30\.000,"n":"a","e":"log","level":"info","msg":"hello","x":1\}/);
  t.notRegex(sink.text(), /hidden/);
  // The node stream is seededRandom(seed).fork(`node:a`): another world with the same seed agrees.
  const w2 = new SimWorld({ seed: 'log' });
  w2.addNode({ id: 'a' });
  t.is(createSimHost(w2, 'a').random.u32(), new SimWorld({ seed: 'log' }).addNode({ id: 'a' }).random.u32());
});

test('world: an error in a node timer surfaces with the node and time', (t) => {
  const world = new SimWorld({ seed: 1 });
  world.addNodes(3, { accessLatencyMs: 1 });
  const h = createSimHost(world, 'n2');
  world.within('n2', () => h.timers.after(77, () => { throw new Error('engine bug'); }));
  const err = t.throws(() => world.run(), { instanceOf: SimError }) as SimError;
  t.is(err.node, 'n2');
  t.is(err.time, 77);
  t.regex(err.message, /engine bug/);
});

test('world: node ids and addresses are unique; addNodes makes a bandwidth class', (t) => {
  const world = new SimWorld({ seed: 1 });
  const ns = world.addNodes(3, { upBps: 1000, label: 'dsl' }, 'dsl-');
  t.deepEqual(ns.map((n) => n.id), ['dsl-0', 'dsl-1', 'dsl-2']);
  t.deepEqual(ns.map((n) => n.address), ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  t.true(ns.every((n) => n.upBps === 1000 && n.spec.label === 'dsl'));
  t.throws(() => world.addNode({ id: 'dsl-0' }), { message: /duplicate/ });
  t.throws(() => world.addNode({ address: '10.0.0.1' }), { message: /taken/ });
  t.throws(() => world.addNode({ upBps: 0 }), { instanceOf: RangeError });
});

test('world: a 1000-node toy ping workload runs to completion', (t) => {
  const world = new SimWorld({ seed: 1000 });
  world.addNodes(700, { upBps: 1_000_000, downBps: 8_000_000, accessLatencyMs: 20 });
  world.addNodes(300, { upBps: 10_000_000, downBps: 50_000_000, accessLatencyMs: 5 }, 'fast-');
  const res = installToySwarm(world, { peersPerNode: 4, blocksPerLink: 2, pingsPerLink: 5 });
  const r = world.run();
  t.is(r.reason, 'idle');
  t.is(res.blocksDelivered, 1000 * 4 * 2);
  t.is(res.pingsAnswered, 1000 * 4 * 5);
  const rtt = summarize(res.rtts);
  t.true(rtt.min >= 2 * 10, `RTT at least twice the smallest path latency, got ${rtt.min}`);
  t.true(rtt.p50 < 1000);
});

test('world: request-pipelined toy download delivers every block, bounded in flight', (t) => {
  const world = new SimWorld({ seed: 9 });
  world.addNodes(50, { upBps: 2_000_000, downBps: 10_000_000, accessLatencyMs: 15 });
  const res = installToySwarm(world, { peersPerNode: 3, blocksPerLink: 20, pipeline: 4 });
  let maxPending = 0;
  while (world.run({ maxEvents: 500 }).reason === 'maxEvents') maxPending = Math.max(maxPending, world.kernel.pending);
  t.is(res.blocksDelivered, 50 * 3 * 20);
  // One event per busy uplink, per busy inbound link and per timer — never one per block.
  t.true(maxPending < 50 * 3 * 2 + 100, `heap reached ${maxPending}`);
  const ratios = world.nodes().map((n) => n.stats.pieceBytesUp / Math.max(1, n.stats.pieceBytesDown));
  t.true(ratios.every((r) => Number.isFinite(r)));
});
