import type { Clock, Millis } from '../seam/time.js';
import { bytesEqual } from '../util/bytes.js';
import { sha1 } from '../util/sha1.js';
import { metadataPieceCount } from './assembler.js';
import { METADATA_PIECE_SIZE, type MetadataMessage } from './messages.js';

/**
 * The serving side of ut_metadata. Serves only metadata that passed the hash check (MSG-5):
 * until `setMetadata` accepted it, every request is rejected. A peer that asks more than
 * `maxRequests` times within `windowMs` is rejected too (MSG-8 flood limit) — a whole info dict
 * needs one request per piece, so honest peers stay far below it.
 */
export interface MetadataServerOptions {
  maxRequests?: number;
  windowMs?: Millis;
}

export class MetadataServer {
  private info?: Uint8Array;
  private readonly maxRequests: number;
  private readonly windowMs: Millis;
  private counts = new Map<string, { start: Millis; n: number }>();

  constructor(readonly infoHash: Uint8Array, private readonly clock: Clock, opts: MetadataServerOptions = {}) {
    this.maxRequests = opts.maxRequests ?? 100;
    this.windowMs = opts.windowMs ?? 60_000;
  }

  /** Offer the raw info dict; accepted only if its SHA-1 is the info hash (META-1, MSG-5). */
  setMetadata(info: Uint8Array): boolean {
    if (!bytesEqual(sha1(info), this.infoHash)) return false;
    this.info = info;
    return true;
  }

  /** For the extension handshake's `metadata_size` (BEP9-HS-2); undefined until we have it. */
  get metadataSize(): number | undefined { return this.info?.length; }

  /** The reply to a message from `peer`: data or reject for a request, null for anything else. */
  handle(peer: string, m: MetadataMessage): MetadataMessage | null {
    if (m.type !== 'request') return null; // MSG-3: unknown types are ignored; data/reject are not ours to answer
    const reject = { type: 'reject' as const, piece: m.piece }; // MSG-4/7: same piece, no other keys
    if (!this.info) return reject; // MSG-5
    if (!this.allow(peer)) return reject; // MSG-8
    if (m.piece >= metadataPieceCount(this.info.length)) return reject;
    const start = m.piece * METADATA_PIECE_SIZE;
    return { type: 'data', piece: m.piece, totalSize: this.info.length, data: this.info.subarray(start, start + METADATA_PIECE_SIZE) };
  }

  forgetPeer(peer: string): void { this.counts.delete(peer); }

  private allow(peer: string): boolean {
    const now = this.clock.now();
    let c = this.counts.get(peer);
    if (!c || now - c.start >= this.windowMs) { c = { start: now, n: 0 }; this.counts.set(peer, c); }
    return ++c.n <= this.maxRequests;
  }
}
