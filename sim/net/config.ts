import type { SimNode } from './node.js';

/** Network-wide knobs. Every field has a default (below); see sim/README.md for the model. */
export interface NetConfig {
  /** One-way propagation latency between two nodes, ms. Default: baseLatencyMs + both access latencies. */
  latency?: (a: SimNode, b: SimNode) => number;
  /** Added to the default latency function. Default 0. */
  baseLatencyMs?: number;
  /** A dial to a node that is gone (or an address nobody has) fails after this. Default 10 000 ms. */
  connectTimeoutMs?: number;
  /**
   * Per-connection window: bytes a link may have past its sender's uplink but not yet taken
   * by the receiver. Stands in for TCP flow control so a congested receiver pushes back on
   * its senders (their queuedBytes grows). Default 4 MiB; Infinity disables it.
   */
  windowBytes?: number;
  /** onDrain fires when queuedBytes() falls below this after having reached it. Default 128 KiB (as host/). */
  lowWaterBytes?: number;
  /** Probability that a UDP datagram is lost. Default 0. */
  udpLoss?: number;
  /** Write one trace line per delivered peer message (large traces!). Default false. */
  traceMessages?: boolean;
}

export interface ResolvedNetConfig {
  latency: (a: SimNode, b: SimNode) => number;
  connectTimeoutMs: number;
  windowBytes: number;
  lowWaterBytes: number;
  udpLoss: number;
  traceMessages: boolean;
}

export function resolveNetConfig(c: NetConfig = {}): ResolvedNetConfig {
  const base = c.baseLatencyMs ?? 0;
  return {
    latency: c.latency ?? ((a, b) => base + a.accessLatencyMs + b.accessLatencyMs),
    connectTimeoutMs: c.connectTimeoutMs ?? 10_000,
    windowBytes: c.windowBytes ?? 4 * 1024 * 1024,
    lowWaterBytes: c.lowWaterBytes ?? 128 * 1024,
    udpLoss: c.udpLoss ?? 0,
    traceMessages: c.traceMessages ?? false,
  };
}
