import type { Address } from '../seam/net.js';
import type { AnnounceEvent } from '../plugin-api/peer-source.js';

/**
 * What a tracker client sends and gets back, independent of the transport (HTTP BEP 3/23,
 * UDP BEP 15). Both clients and the plugins speak these shapes, so tier logic (BEP 12) and
 * the announce schedule are written once.
 */
export interface AnnounceRequest {
  infoHash: Uint8Array; // 20 bytes
  peerId: Uint8Array; // 20 bytes
  port: number;
  uploaded: number;
  downloaded: number;
  left: number;
  /** 'none' = periodic announce: HTTP omits the parameter (BEP3-TRK-3), UDP sends 0 (BEP15-ANN-2). */
  event: AnnounceEvent;
  /** Peers wanted; undefined = tracker default (UDP sends -1, BEP15-GEN-1). */
  numwant?: number;
  /** Random per session, lets a tracker recognise us across IP changes (u32). */
  key: number;
  /** HTTP only: echo of the `tracker id` a tracker gave us. */
  trackerId?: Uint8Array;
  /** HTTP only: ask for compact peers (default true, BEP23-2). */
  compact?: boolean;
}

export interface AnnounceResult {
  /** Seconds until the next periodic announce (BEP3-TRK-6, BEP15-ANN-5). */
  interval: number;
  /** Seconds; announcing sooner than this is refused by some trackers. */
  minInterval?: number;
  /** Seeders / leechers when the tracker says. */
  complete?: number;
  incomplete?: number;
  /** IPv4 and IPv6 peers together (`peers` + `peers6`, or the UDP reply's family). */
  peers: Address[];
  trackerId?: Uint8Array;
  warning?: string;
  /** Clause IDs the reply broke in ways we tolerated (for the conformance harness and logs). */
  tolerated?: string[];
}

export interface ScrapeEntry {
  /** Seeders. */
  complete: number;
  /** Times the torrent was completed. */
  downloaded: number;
  /** Leechers. */
  incomplete: number;
}

/** Keyed by lowercase hex info hash. */
export type ScrapeResult = Map<string, ScrapeEntry>;

export type Done<T> = (err: Error | null, result?: T) => void;

export interface Cancelable {
  cancel(): void;
}

/** BEP15-ANN-2 event numbers. */
export const UDP_EVENT: Readonly<Record<AnnounceEvent, number>> = { none: 0, completed: 1, started: 2, stopped: 3 };
export const UDP_EVENT_NAME: readonly AnnounceEvent[] = ['none', 'completed', 'started', 'stopped'];
