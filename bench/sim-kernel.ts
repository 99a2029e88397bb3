/**
 * Simulator throughput benchmark (issue #6): bare-kernel events/s, and message deliveries/s
 * through the simulated network with 1000 nodes running the toy swarm.
 *
 *   node dist/bench/sim-kernel.js [--events 3000000] [--nodes 1000] [--peers 8] [--blocks 40] [--json]
 *
 * Figures are wall-clock measurements of THIS machine (speed goals live here, never in tests).
 * Peak RSS is the process's maxRSS, so run one benchmark per process for a clean figure.
 */
import { performance } from 'node:perf_hooks';
import { Kernel } from '../sim/kernel/kernel.js';
import { seededRandom } from '../core/util/prng.js';
import { SimWorld } from '../sim/world.js';
import { installToySwarm } from '../sim/testing/toy-swarm.js';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : def;
}

const rssMiB = (): number => process.resourceUsage().maxRSS / 1024;

/** `chains` self-rescheduling events with random delays: a heap of ~`chains` entries. */
function benchKernel(total: number, chains: number): { events: number; ms: number; perSec: number } {
  const k = new Kernel();
  const rnd = seededRandom(1);
  let left = total;
  const step = (): void => {
    if (--left > 0) k.schedule(k.now + 1 + rnd.int(1000), step);
  };
  for (let i = 0; i < chains; i++) k.schedule(rnd.int(1000), step);
  const t0 = performance.now();
  const r = k.run();
  const ms = performance.now() - t0;
  return { events: r.events, ms, perSec: r.events / (ms / 1000) };
}

/** Same, through the seam-shaped after() with cancellable handles (what core timers use). */
function benchTimers(total: number, chains: number): { events: number; ms: number; perSec: number } {
  const k = new Kernel();
  const rnd = seededRandom(2);
  let left = total;
  const ctx = { id: 'x', alive: true };
  const step = (): void => {
    if (--left > 0) {
      k.after(1 + rnd.int(1000), step, ctx);
      if ((left & 3) === 0) k.after(2000, step, ctx).cancel(); // a cancelled request timeout
    }
  };
  for (let i = 0; i < chains; i++) k.after(rnd.int(1000), step, ctx);
  const t0 = performance.now();
  const r = k.run();
  const ms = performance.now() - t0;
  return { events: r.events, ms, perSec: r.events / (ms / 1000) };
}

function benchNetwork(nodes: number, peers: number, blocks: number) {
  const t0 = performance.now();
  const world = new SimWorld({ seed: 2024 });
  world.addNodes(Math.round(nodes * 0.7), { upBps: 1_000_000, downBps: 8_000_000, accessLatencyMs: 20 }, 'dsl-');
  world.addNodes(nodes - Math.round(nodes * 0.7), { upBps: 10_000_000, downBps: 50_000_000, accessLatencyMs: 5 }, 'fiber-');
  const res = installToySwarm(world, { peersPerNode: peers, blocksPerLink: blocks, pingsPerLink: 2 });
  const tSetup = performance.now();
  const r = world.run();
  const t1 = performance.now();
  let delivered = 0;
  for (const n of world.nodes()) delivered += n.stats.msgsDown;
  const runMs = t1 - tSetup;
  return {
    nodes, links: nodes * peers, messagesDelivered: delivered, blocksDelivered: res.blocksDelivered,
    kernelEvents: r.events, simulatedSeconds: world.now / 1000,
    setupMs: tSetup - t0, runMs, deliveriesPerSec: delivered / (runMs / 1000), eventsPerSec: r.events / (runMs / 1000),
  };
}

const events = arg('events', 3_000_000);
const k1 = benchKernel(events, 10_000);
const k2 = benchTimers(events, 10_000);
const rssAfterKernel = rssMiB();
const net = benchNetwork(arg('nodes', 1000), arg('peers', 8), arg('blocks', 40));
const out = {
  node: process.version,
  kernel: { ...k1, heapSize: 10_000 },
  kernelTimersWithCancels: { ...k2, heapSize: 10_000 },
  network: net,
  peakRssMiB: { afterKernel: rssAfterKernel, afterNetwork: rssMiB() },
};
if (process.argv.includes('--json')) console.log(JSON.stringify(out, null, 2));
else {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`bare kernel:        ${f(k1.perSec)} events/s (${f(k1.events)} events in ${f(k1.ms)} ms, heap ~10k)`);
  console.log(`after() + cancels:  ${f(k2.perSec)} events/s (${f(k2.events)} events in ${f(k2.ms)} ms)`);
  console.log(`network (${net.nodes} nodes, ${net.links} links): ${f(net.deliveriesPerSec)} deliveries/s, ${f(net.eventsPerSec)} events/s`);
  console.log(`  ${f(net.messagesDelivered)} messages (${f(net.blocksDelivered)} blocks), ${f(net.kernelEvents)} events, ${net.simulatedSeconds.toFixed(1)} s simulated`);
  console.log(`  wall: setup ${f(net.setupMs)} ms, run ${f(net.runMs)} ms`);
  console.log(`peak RSS: ${out.peakRssMiB.afterKernel.toFixed(0)} MiB after kernel benches, ${out.peakRssMiB.afterNetwork.toFixed(0)} MiB after network bench`);
}
