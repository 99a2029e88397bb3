import type { Address } from '../seam/net.js';
import type { Host } from '../seam/host.js';
import type { PluginMeta, PluginOptions } from './common.js';

export type AnnounceEvent = 'started' | 'completed' | 'stopped' | 'none';

/** Transfer totals a tracker announce reports (BEP3-TRK-1). */
export interface TransferStats {
  uploaded: number;
  downloaded: number;
  left: number;
}

export interface PeerSourceContext {
  host: Host;
  infoHash: Uint8Array;
  peerId: Uint8Array;
  /** Our peer-wire listen port. */
  port: number;
  /** BEP 12 tiers from the metainfo or magnet `tr=` (may be empty). */
  trackers: string[][];
  /** BEP 27: no DHT or PEX for private torrents. */
  private: boolean;
  stats(): TransferStats;
  /** Report peers found; duplicates are fine (the engine de-duplicates). */
  addPeers(peers: Address[], source: string): void;
  /** How many more peers the engine would like (for numwant). */
  peersWanted(): number;
}

export interface PeerSource {
  readonly name: string;
  start(): void;
  /** The download completed (trackers send `completed`, BEP3-TRK-3). */
  completed(): void;
  /**
   * The torrent is short of peers: find more soon if the source's own rules allow (trackers:
   * re-announce early, never before `min interval` — BEP3-TRK-8). Optional; called often.
   */
  wantMore?(): void;
  /** Stop; trackers send `stopped`. `done` is called when finished or timed out. */
  stop(done: () => void): void;
}

export interface PeerSourcePlugin extends PluginMeta {
  /** Returns null when it does not apply (e.g. no tracker of its scheme, or DHT on a private torrent). */
  create(ctx: PeerSourceContext, options: PluginOptions): PeerSource | null;
}
