import type { Millis } from '../seam/time.js';

/** Engine knobs with the defaults a libtorrent/Transmission user would expect. */
export interface EngineConfig {
  /** Connected peers at most (libtorrent: connections_limit per torrent ~ 50–200). */
  maxPeers: number;
  /** Outgoing connection attempts in flight at most. */
  maxConnecting: number;
  /**
   * New outgoing connection attempts per second at most, on average (bursts up to the same
   * number). libtorrent's connection_speed (default 30) and Transmission's per-second cap do
   * the same: without it a fresh peer that learns a few hundred addresses dials them as fast as
   * attempts fail, and in a busy swarm most of them fail ("too many peers").
   */
  maxDialsPerSecond: number;
  /** Close a connection whose handshake has not completed in time. */
  handshakeTimeoutMs: Millis;
  /** A peer that sent no block for this long while we wait on it is snubbed; its requests go elsewhere. */
  requestTimeoutMs: Millis;
  /** Send a keep-alive after this much send silence (BEP3-MSG-2: about every 2 minutes). */
  keepAliveMs: Millis;
  /** Close a connection that sent nothing at all for this long. */
  idleTimeoutMs: Millis;
  /** Requests in flight per peer at least / at most (BEP3-STATE-5); in between it follows the peer's rate. */
  minPipeline: number;
  maxPipeline: number;
  /** Seconds of the peer's download rate to keep requested (libtorrent request_queue_time). */
  pipelineSeconds: number;
  /** Bytes queued on a link above which we stop serving its requests until it drains. */
  uploadHighWater: number;
  /** Storage reads in flight per peer for uploads. */
  maxReadsPerPeer: number;
  /** Hash failures a peer may take part in before it is banned (a sole contributor is banned at once). */
  maxHashFailStrikes: number;
  /** How often the engine checks timeouts and tops up connections. */
  tickMs: Millis;
  /** Re-dial a failed address after this long at the earliest (doubles per failure). */
  retryBaseMs: Millis;
  /** Addresses a torrent remembers at most (libtorrent's max_peerlist_size); a full pool forgets unconnected ones, failed ones first. */
  maxKnownPeers: number;
  /** Stop requesting blocks of NEW pieces while storage holds more than this in memory. */
  maxBufferedBytes: number;
  /** At the connection limit, a connection useful to neither side may make room once this old. */
  makeRoomMinAgeMs: Millis;
  /** Our upload capacity if known (the simulator knows it; a user may set it), for chokers. */
  uploadCapacityBps?: number;
  /** Below this many connected peers (and none left to dial), sources are asked for more. */
  wantMorePeersBelow: number;
  /** Allowed-fast set size offered to fast peers (BEP 6 suggests 10). */
  allowedFastCount: number;
}

export const defaultEngineConfig: EngineConfig = {
  maxPeers: 60,
  maxConnecting: 10,
  maxDialsPerSecond: 30,
  handshakeTimeoutMs: 20_000,
  requestTimeoutMs: 30_000,
  keepAliveMs: 90_000,
  idleTimeoutMs: 300_000,
  minPipeline: 16,
  maxPipeline: 500,
  pipelineSeconds: 2,
  uploadHighWater: 1 << 20,
  maxReadsPerPeer: 8,
  maxHashFailStrikes: 4,
  tickMs: 1000,
  retryBaseMs: 10_000,
  maxKnownPeers: 3000,
  allowedFastCount: 0,
  wantMorePeersBelow: 5,
  maxBufferedBytes: 32 * 1024 * 1024,
  makeRoomMinAgeMs: 30_000,
};
