import type { Millis, Random } from '../seam/time.js';
import type { PluginMeta, PluginOptions } from './common.js';

/** What a choker may know about a connected peer. */
export interface ChokerPeer {
  readonly id: string;
  /** Peer is interested in our data. */
  readonly interested: boolean;
  /** We are currently choking the peer. */
  readonly choked: boolean;
  /** Bytes/s we receive from the peer (rolling window). */
  readonly downloadRate: number;
  /** Bytes/s we send to the peer (rolling window). */
  readonly uploadRate: number;
  /** Total bytes received from / sent to this peer on this connection. */
  readonly downloaded: number;
  readonly uploaded: number;
  /** When the connection was established. */
  readonly connectedAt: Millis;
  /** Last time we unchoked it (or -Infinity). */
  readonly lastUnchokedAt: Millis;
  /** The peer has every piece. */
  readonly isSeed: boolean;
  /** No block from it for a while although requests are pending. */
  readonly snubbed: boolean;
  /** Fraction of the torrent's pieces the peer has (0..1): anti-leech seeding scores by it. */
  readonly progress?: number;
  /** The peer has us choked (reciprocation signal for BitTyrant-like chokers). */
  readonly peerChoking?: boolean;
}

export interface ChokerContext {
  now: Millis;
  /** We have every wanted piece: rank by upload instead of download (BEP3-CHOKE-1). */
  seeding: boolean;
  /** Counts rechoke rounds from 0; optimistic rotation uses it. */
  round: number;
  rng: Random;
  /** Our upload capacity estimate in bytes/s, if known (rate-based slot counts use it). */
  uploadCapacity?: number;
  /** Size of the torrent in bytes (turns a peer's progress into a rate: BitTyrant's d_p estimate). */
  torrentBytes?: number;
}

export interface Choker {
  /** How often the engine calls rechoke (BEP3-CHOKE-1: 10 s). */
  readonly intervalMs: Millis;
  /** Return the ids of the peers to have unchoked after this round; all others are choked. */
  rechoke(peers: readonly ChokerPeer[], ctx: ChokerContext): Set<string>;
}

export interface ChokerPlugin extends PluginMeta {
  create(options: PluginOptions): Choker;
}
