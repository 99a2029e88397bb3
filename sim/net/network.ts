import type { Kernel } from '../kernel/kernel.js';
import type { TraceWriter } from '../trace.js';
import { SimUsageError } from '../kernel/errors.js';
import { resolveNetConfig, type NetConfig, type ResolvedNetConfig } from './config.js';
import type { SimNode } from './node.js';
import { Uplink } from './uplink.js';
import { Downlink } from './downlink.js';

/**
 * The simulated internet: an address table, the latency function, and node lifecycles.
 * Addresses are labels; nothing here touches a real socket.
 */
export class SimNetwork {
  readonly cfg: ResolvedNetConfig;
  private readonly byAddress = new Map<string, SimNode>();

  constructor(readonly kernel: Kernel, config: NetConfig = {}, public trace: TraceWriter | null = null) {
    this.cfg = resolveNetConfig(config);
    if (!(this.cfg.udpLoss >= 0 && this.cfg.udpLoss <= 1)) throw new RangeError('sim: udpLoss must be in [0, 1]');
  }

  /** Add a node to the address table (it starts stopped; call start()). */
  register(node: SimNode): void {
    if (this.byAddress.has(node.address)) throw new SimUsageError(`address ${node.address} is taken`, { node: node.id });
    this.byAddress.set(node.address, node);
  }

  /** The live node holding `host`, if any. */
  resolve(host: string): SimNode | undefined {
    const n = this.byAddress.get(host);
    return n !== undefined && n.ctx.alive ? n : undefined;
  }

  /** One-way latency a → b, ms. */
  latency(a: SimNode, b: SimNode): number {
    const l = this.cfg.latency(a, b);
    if (!(l >= 0)) throw new RangeError(`sim: latency(${a.id}, ${b.id}) = ${l}; must be >= 0`);
    return l;
  }

  /** Begin a new incarnation: fresh context, ports, links, uplink and downlink. */
  start(node: SimNode): void {
    if (node.ctx.alive) throw new SimUsageError(`node ${node.id} is already running`);
    node.incarnation++;
    node.ctx = { id: node.incarnation === 0 ? node.id : `${node.id}#${node.incarnation}`, alive: true };
    node.startedAt = this.kernel.now;
    node.stoppedAt = NaN;
    node.tcp = new Map();
    node.udp = new Map();
    node.ends = new Set();
    node.uplink = new Uplink(node, this);
    node.downlink = new Downlink(this.kernel, node.ctx, node.downRate, this.kernel.now);
    this.emitTrace(node, 'node.start', { address: node.address, incarnation: node.incarnation });
  }

  /**
   * End the incarnation: its pending events (timers, deliveries) are skipped from now on, its
   * services vanish, and each of its links' peers hears 'connection reset' one latency later.
   */
  stop(node: SimNode, reason = 'stopped'): void {
    if (!node.ctx.alive) return;
    for (const end of [...node.ends]) end.killSilently();
    for (const b of node.udp.values()) b.closed = true;
    node.tcp.clear();
    node.udp.clear();
    node.ctx.alive = false;
    node.stoppedAt = this.kernel.now;
    this.emitTrace(node, 'node.stop', { reason });
  }

  emitTrace(node: SimNode | null, event: string, fields: Record<string, string | number | boolean>): void {
    const tr = this.trace;
    if (tr !== null && tr.enabled) tr.emit(this.kernel.now, node ? node.id : null, event, fields);
  }
}
