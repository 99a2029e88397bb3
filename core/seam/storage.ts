import type { TorrentInfo } from '../metainfo/types.js';

/**
 * Piece storage and verification as the core sees it. Callback style (not promises) on
 * purpose: the simulator completes these calls as scheduled events, so their order is part of
 * the deterministic replay; promise continuations would run outside the event queue.
 *
 * Real host: multi-file storage on disk, SHA-1 verification off the main thread.
 * Simulator: virtual payloads; `verify` asks an oracle that knows which blocks came from
 * peers configured to send bad data.
 */
export interface PieceStore {
  /** Store one block of a piece (any order; blocks may be written more than once). */
  write(index: number, begin: number, data: Uint8Array, done: (err: Error | null) => void): void;
  /** Read a block of a piece we have (for upload, or for metadata in tests). */
  read(index: number, begin: number, length: number, done: (err: Error | null, data?: Uint8Array) => void): void;
  /**
   * Check the piece against its SHA-1. When ok, the store has made the piece durable and
   * records it as complete (fast resume will trust it); when not ok, its blocks are discarded.
   */
  verify(index: number, done: (err: Error | null, ok?: boolean) => void): void;
  /** Flush and release. */
  close(done: (err: Error | null) => void): void;
  /**
   * Bytes of piece data the store holds in memory (partial pieces, pieces waiting to be hashed
   * or written). Optional: when present, the engine stops requesting new pieces above its
   * limit, so a disk slower than the network slows the download instead of growing memory.
   */
  bufferedBytes?(): number;
}

export interface OpenedStore {
  store: PieceStore;
  /** Pieces already complete and verified (fast resume / seeding), one boolean per piece. */
  have: boolean[];
}

export interface StorageProvider {
  open(info: TorrentInfo, done: (err: Error | null, opened?: OpenedStore) => void): void;
}
