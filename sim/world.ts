import type { Random } from '../core/seam/time.js';
import { seededRandom } from '../core/util/prng.js';
import { Kernel, type NodeCtx, type RunOptions, type RunResult } from './kernel/kernel.js';
import { SimUsageError } from './kernel/errors.js';
import type { NetConfig } from './net/config.js';
import { SimNetwork } from './net/network.js';
import { SimNode, type NodeSpec } from './net/node.js';
import type { TraceWriter } from './trace.js';

export interface WorldOptions {
  /** The one seed: node streams are seededRandom(seed).fork(`node:${id}`). */
  seed: number | string;
  net?: NetConfig;
  /** Where trace lines go (omit or disable for speed). */
  trace?: TraceWriter;
}

/**
 * A simulation: the kernel, the network and the nodes. A scenario runner creates nodes
 * (now or at a later time: arrivals), stops and restarts them (departures, churn), schedules
 * its own actions with at()/atNode(), runs, and reads per-node stats. Hosts for the core come
 * from createSimHost(world, id) in sim/host.ts.
 */
export class SimWorld {
  readonly kernel = new Kernel();
  readonly net: SimNetwork;
  readonly seed: number | string;
  readonly root: Random;
  readonly trace: TraceWriter | null;
  private readonly list: SimNode[] = [];
  private readonly byId = new Map<string, SimNode>();

  constructor(opts: WorldOptions) {
    this.seed = opts.seed;
    this.root = seededRandom(opts.seed);
    this.trace = opts.trace ?? null;
    this.net = new SimNetwork(this.kernel, opts.net, this.trace);
  }

  get now(): number { return this.kernel.now; }

  /** Create a node and start it now. */
  addNode(spec: NodeSpec = {}): SimNode {
    const index = this.list.length;
    const id = spec.id ?? `n${index}`;
    if (this.byId.has(id)) throw new SimUsageError(`duplicate node id ${id}`);
    const node = new SimNode(index, { ...spec, id }, this.root.fork(`node:${id}`));
    this.net.register(node);
    this.list.push(node);
    this.byId.set(id, node);
    this.net.start(node);
    return node;
  }

  /** Create `count` nodes from one spec (a bandwidth class); ids `${prefix}${i}`, or `n<index>`. */
  addNodes(count: number, spec: NodeSpec = {}, prefix?: string): SimNode[] {
    const { id: _id, address: _address, ...shared } = spec; // ids and addresses must stay unique
    const out: SimNode[] = [];
    for (let i = 0; i < count; i++) out.push(this.addNode({ ...shared, id: prefix === undefined ? undefined : `${prefix}${i}` }));
    return out;
  }

  node(id: string): SimNode {
    const n = this.byId.get(id);
    if (n === undefined) throw new SimUsageError(`no node ${id}`);
    return n;
  }

  nodes(): readonly SimNode[] { return this.list; }

  /** Stop a node (departure or crash): its timers die, its links reset, its ports close. */
  stopNode(id: string, reason?: string): void {
    this.net.stop(this.node(id), reason);
  }

  /** Start a stopped node again (a new incarnation: fresh timers, links and ports; same address, stats and stream). */
  restartNode(id: string): SimNode {
    const n = this.node(id);
    this.net.start(n);
    return n;
  }

  /** Run a world-level action (no node) at absolute time `t`. */
  at(t: number, fn: () => void): void {
    this.kernel.schedule(t, fn, 0, null);
  }

  /** Run `fn` at time `t` as node `id`'s current incarnation (skipped if it is stopped by then). */
  atNode(t: number, id: string, fn: () => void): void {
    const n = this.node(id);
    this.kernel.schedule(t, () => {
      if (n.ctx.alive) this.kernel.within(n.ctx, fn);
    }, 0, null);
  }

  /** Run `fn` now as node `id` (setup code outside run(): errors name the node). */
  within<T>(id: string, fn: () => T): T {
    const n = this.node(id);
    return this.kernel.within(n.ctx as NodeCtx, fn);
  }

  run(opts?: RunOptions): RunResult {
    try {
      return this.kernel.run(opts);
    } finally {
      this.trace?.flush();
    }
  }
}
