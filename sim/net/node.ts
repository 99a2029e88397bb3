import type { Random } from '../../core/seam/time.js';
import type { NodeCtx } from '../kernel/kernel.js';
import type { LinkEnd } from './link.js';
import type { Uplink } from './uplink.js';
import type { Downlink } from './downlink.js';
import type { HttpHandler } from './http.js';
import type { UdpBinding } from './udp.js';
import type { PeerLink } from '../../core/seam/net.js';

/** What a scenario says about one node. Every field is optional; defaults in brackets. */
export interface NodeSpec {
  /** Unique id, used in traces and errors [`n<index>`]. */
  id?: string;
  /** A label such as '10.0.0.7' — never real traffic [10.a.b.c from the index]. */
  address?: string;
  /** Uplink capacity, bytes/s [12 500 000 = 100 Mbit/s]. Infinity = no limit. */
  upBps?: number;
  /** Downlink capacity, bytes/s [12 500 000]. */
  downBps?: number;
  /** One-way latency of this node's access link, ms [10]. Path latency sums both ends by default. */
  accessLatencyMs?: number;
  /** Storage starts with every piece (a seed) [false]. */
  seed?: boolean;
  /** Uploads corrupt data: its storage reads return the BAD virtual buffer [false]. */
  bad?: boolean;
  /** Delay of every storage completion, ms [0]. */
  diskDelayMs?: number;
  /** A free-form class label for reports ('dsl', 'fiber', …). */
  label?: string;
}

/** Cumulative counters over the node's whole life (all incarnations). Wire bytes. */
export interface NodeStats {
  /** Peer-wire bytes that left the uplink / were delivered to this node. */
  bytesUp: number;
  bytesDown: number;
  msgsUp: number;
  msgsDown: number;
  /** Block payload bytes of piece messages (share ratios). */
  pieceBytesUp: number;
  pieceBytesDown: number;
  udpBytesUp: number;
  udpBytesDown: number;
  linksDialed: number;
  linksAccepted: number;
}

export type TcpService =
  | { kind: 'peer'; onLink: (link: PeerLink) => void }
  | { kind: 'http'; handler: HttpHandler };

const EPHEMERAL_LO = 49152;
const EPHEMERAL_HI = 65535;

export class SimNode {
  readonly id: string;
  readonly index: number;
  readonly address: string;
  readonly upBps: number;
  readonly downBps: number;
  readonly accessLatencyMs: number;
  readonly spec: Readonly<NodeSpec>;
  /** Bytes per simulated ms. */
  readonly upRate: number;
  readonly downRate: number;
  /** The node's own PRNG stream: seededRandom(seed).fork(`node:${id}`). */
  readonly random: Random;
  readonly stats: NodeStats = {
    bytesUp: 0, bytesDown: 0, msgsUp: 0, msgsDown: 0, pieceBytesUp: 0, pieceBytesDown: 0,
    udpBytesUp: 0, udpBytesDown: 0, linksDialed: 0, linksAccepted: 0,
  };

  // --- per incarnation (reset by SimNetwork.start) ---
  ctx: NodeCtx;
  incarnation = -1;
  startedAt = NaN;
  stoppedAt = NaN;
  tcp = new Map<number, TcpService>();
  udp = new Map<number, UdpBinding>();
  ends = new Set<LinkEnd>();
  /** Assigned by SimNetwork.start (a fresh one per incarnation). */
  uplink!: Uplink;
  /** Assigned by SimNetwork.start (a fresh one per incarnation): the FIFO downlink. */
  downlink!: Downlink;
  private nextEphemeral = EPHEMERAL_LO;

  constructor(index: number, spec: NodeSpec, random: Random) {
    this.index = index;
    this.spec = { ...spec };
    this.id = spec.id ?? `n${index}`;
    this.address = spec.address ?? defaultAddress(index);
    this.upBps = spec.upBps ?? 12_500_000;
    this.downBps = spec.downBps ?? 12_500_000;
    this.accessLatencyMs = spec.accessLatencyMs ?? 10;
    for (const [k, v] of [['upBps', this.upBps], ['downBps', this.downBps]] as const) {
      if (!(v > 0)) throw new RangeError(`sim: node ${this.id}: ${k} must be > 0, got ${v}`);
    }
    if (!(this.accessLatencyMs >= 0)) throw new RangeError(`sim: node ${this.id}: accessLatencyMs must be >= 0`);
    this.upRate = this.upBps / 1000;
    this.downRate = this.downBps / 1000;
    this.random = random;
    this.ctx = { id: this.id, alive: false };
  }

  get alive(): boolean { return this.ctx.alive; }

  /** A free ephemeral port for TCP (`tcp`) or UDP (`udp`) services and outgoing links. */
  allocPort(space: 'tcp' | 'udp' | 'dial'): number {
    const used = space === 'udp' ? this.udp : this.tcp;
    for (let tries = 0; tries <= EPHEMERAL_HI - EPHEMERAL_LO; tries++) {
      const p = this.nextEphemeral;
      this.nextEphemeral = p === EPHEMERAL_HI ? EPHEMERAL_LO : p + 1;
      if (space === 'dial' || !used.has(p)) return p;
    }
    throw new RangeError(`sim: node ${this.id} has no free ephemeral port`);
  }
}

/** 10.0.0.1, 10.0.0.2, … 10.0.1.0, … (index 0 → 10.0.0.1). */
export function defaultAddress(index: number): string {
  const i = index + 1;
  return `10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
}
