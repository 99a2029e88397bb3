import type { Host, Logger, LogLevel } from '../core/seam/host.js';
import type { StorageProvider } from '../core/seam/storage.js';
import type { SimWorld } from './world.js';
import { createSimPeerNet } from './net/peer-net.js';
import { createSimUdp } from './net/udp.js';
import { createSimHttp } from './net/http.js';
import { createSimStorage, type SimStorageOptions, type SimStorageStats } from './storage/sim-storage.js';

export interface SimHostOptions {
  /** Storage behaviour; defaults come from the node's spec (seed, bad, diskDelayMs). */
  storage?: SimStorageOptions;
  /** Use this provider instead of the simulated one. */
  storageProvider?: StorageProvider;
  /** Log lines at or above this level go to the trace as 'log' events. Default 'info'. */
  logLevel?: LogLevel;
}

export interface SimHost extends Host {
  /** The node's incarnation id (as it appears in traces and errors). */
  readonly nodeId: string;
  /** Storage counters when the simulated provider is used. */
  readonly storageStats: SimStorageStats | null;
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * The seam, simulated, for one node (its current incarnation): clock = kernel time, timers =
 * kernel events tagged with the node (so they die with it and errors name it), random = the
 * node's own stream, network and storage = the simulated ones, log = the trace. Core code
 * given this Host runs unchanged in-sim.
 */
export function createSimHost(world: SimWorld, nodeId: string, opts: SimHostOptions = {}): SimHost {
  const node = world.node(nodeId);
  if (!node.alive) throw new Error(`sim: node ${nodeId} is stopped`);
  const ctx = node.ctx;
  const k = world.kernel;
  const spec = node.spec;
  const sim = opts.storageProvider
    ? null
    : createSimStorage(k, ctx, { seed: spec.seed, bad: spec.bad, diskDelayMs: spec.diskDelayMs, ...opts.storage });
  const minRank = LEVEL_RANK[opts.logLevel ?? 'info'];
  const log: Logger = {
    log(level, msg, fields) {
      const tr = world.trace;
      if (tr === null || !tr.enabled || LEVEL_RANK[level] < minRank) return;
      tr.emit(k.now, ctx.id, 'log', { level, msg, ...(fields as Record<string, never> | undefined) });
    },
  };
  return {
    nodeId: ctx.id,
    storageStats: sim ? sim.stats : null,
    clock: { now: () => k.now },
    timers: { after: (delay, fn) => k.after(delay, fn, ctx) },
    random: node.random,
    peers: createSimPeerNet(world.net, node),
    udp: createSimUdp(world.net, node, node.random.fork('net:udp-loss')),
    http: createSimHttp(world.net, node),
    storage: opts.storageProvider ?? (sim as StorageProvider),
    log,
  };
}
