/**
 * Simulator throughput benchmark (issue #6): bare-kernel events/s, and message deliveries/s
 * through the simulated network with 1000 nodes running the toy swarm.
 *
 *   node dist/bench/sim-kernel.js [--events 3000000] [--nodes 1000] [--peers 8] [--blocks 40] [--pipeline 5] [--json]
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

/**
 * Wall time AND this process's CPU time: on a shared, loaded machine the wall clock also
 * counts time other processes held the CPU, so rates are given per CPU-second too.
 */
function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

/** `chains` self-rescheduling events with random delays: a heap of ~`chains` entries. */
interface Rate { events: number; wallMs: number; cpuMs: number; perWallSec: number; perCpuSec: number }
const rate = (events: number, wallMs: number, cpuMs: number): Rate => ({ events, wallMs, cpuMs, perWallSec: events / (wallMs / 1000), perCpuSec: events / (cpuMs / 1000) });

function benchKernel(total: number, chains: number): Rate {
  const k = new Kernel();
  const rnd = seededRandom(1);
  let left = total;
  const step = (): void => {
    if (--left > 0) k.schedule(k.now + 1 + rnd.int(1000), step);
  };
  for (let i = 0; i < chains; i++) k.schedule(rnd.int(1000), step);
  const m = timed(() => k.run());
  return rate(m.value.events, m.wallMs, m.cpuMs);
}

/** Same, through the seam-shaped after() with cancellable handles (what core timers use). */
function benchTimers(total: number, chains: number): Rate {
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
  const m = timed(() => k.run());
  return rate(m.value.events, m.wallMs, m.cpuMs);
}

function benchNetwork(nodes: number, peers: number, blocks: number, pipeline?: number) {
  const t0 = performance.now();
  const world = new SimWorld({ seed: 2024 });
  world.addNodes(Math.round(nodes * 0.7), { upBps: 1_000_000, downBps: 8_000_000, accessLatencyMs: 20 }, 'dsl-');
  world.addNodes(nodes - Math.round(nodes * 0.7), { upBps: 10_000_000, downBps: 50_000_000, accessLatencyMs: 5 }, 'fiber-');
  const res = installToySwarm(world, { peersPerNode: peers, blocksPerLink: blocks, pingsPerLink: 2, pipeline });
  const setupMs = performance.now() - t0;
  const m = timed(() => world.run());
  let delivered = 0;
  for (const n of world.nodes()) delivered += n.stats.msgsDown;
  return {
    nodes, links: nodes * peers, messagesDelivered: delivered, blocksDelivered: res.blocksDelivered,
    kernelEvents: m.value.events, simulatedSeconds: world.now / 1000,
    setupMs, runWallMs: m.wallMs, runCpuMs: m.cpuMs,
    deliveriesPerWallSec: delivered / (m.wallMs / 1000), deliveriesPerCpuSec: delivered / (m.cpuMs / 1000),
    eventsPerCpuSec: m.value.events / (m.cpuMs / 1000),
  };
}

const events = arg('events', 3_000_000);
const k1 = benchKernel(events, 10_000);
const k2 = benchTimers(events, 10_000);
const rssAfterKernel = rssMiB();
const net = benchNetwork(arg('nodes', 1000), arg('peers', 8), arg('blocks', 40));
const pip = benchNetwork(arg('nodes', 1000), arg('peers', 8), arg('blocks', 40), arg('pipeline', 5));
const out = {
  node: process.version,
  kernel: { ...k1, heapSize: 10_000 },
  kernelTimersWithCancels: { ...k2, heapSize: 10_000 },
  network: net,
  networkPipelined: pip,
  peakRssMiB: { afterKernel: rssAfterKernel, afterNetwork: rssMiB() },
};
if (process.argv.includes('--json')) console.log(JSON.stringify(out, null, 2));
else {
  const f = (x: number) => Math.round(x).toLocaleString('en-US');
  const line = (name: string, r: Rate) => console.log(`${name} ${f(r.perCpuSec)} events/CPU-s, ${f(r.perWallSec)} events/wall-s (${f(r.events)} events, ${f(r.cpuMs)} ms CPU, ${f(r.wallMs)} ms wall)`);
  line('bare kernel (heap ~10k):', k1);
  line('after() + cancels:      ', k2);
  console.log(`network (${net.nodes} nodes, ${net.links} links): ${f(net.deliveriesPerCpuSec)} deliveries/CPU-s, ${f(net.deliveriesPerWallSec)} deliveries/wall-s, ${f(net.eventsPerCpuSec)} events/CPU-s`);
  console.log(`  ${f(net.messagesDelivered)} messages (${f(net.blocksDelivered)} blocks), ${f(net.kernelEvents)} events, ${net.simulatedSeconds.toFixed(1)} s simulated`);
  console.log(`  setup ${f(net.setupMs)} ms wall; run ${f(net.runCpuMs)} ms CPU, ${f(net.runWallMs)} ms wall`);
  console.log(`pipelined requests (5 outstanding/link): ${f(pip.deliveriesPerCpuSec)} deliveries/CPU-s, ${f(pip.deliveriesPerWallSec)} deliveries/wall-s, ${f(pip.eventsPerCpuSec)} events/CPU-s`);
  console.log(`  ${f(pip.messagesDelivered)} messages (${f(pip.blocksDelivered)} blocks), ${f(pip.kernelEvents)} events, ${pip.simulatedSeconds.toFixed(1)} s simulated; run ${f(pip.runCpuMs)} ms CPU, ${f(pip.runWallMs)} ms wall`);
  console.log(`peak RSS: ${out.peakRssMiB.afterKernel.toFixed(0)} MiB after kernel benches, ${out.peakRssMiB.afterNetwork.toFixed(0)} MiB after network bench`);
}
