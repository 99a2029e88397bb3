import type { Address } from '../../core/seam/net.js';
import type { BValue } from '../../core/bencode/types.js';
import type { DatagramChannel } from '../channels/datagram.js';
import type { HttpChannel } from '../channels/http.js';

/**
 * What each suite runs against. A target is an adapter: bt-lab's own code in-process, a
 * third-party library, or a program reached by address. Cases see only these interfaces.
 */

/** A bencode codec (BEP3-BENC-*). */
export interface BencodeTarget {
  name: string;
  /** Decode one value; throws on invalid input. */
  decode(b: Uint8Array): unknown;
  encode(v: BValue): Uint8Array;
  /** Convert a decoded value to bt-lab's BValue shape (bytes as Uint8Array, latin1 dict keys). */
  toBValue(decoded: unknown): BValue;
  /** Is `e` the codec's documented error type? Absent: any Error counts. */
  isTypedError?(e: unknown): boolean;
}

export interface ParsedTorrentView {
  infoHash: Uint8Array;
  pieceCount: number;
  totalLength: number;
  files: Array<{ path: string[]; length: number }>;
}

/** A .torrent parser (BEP3-META-*). */
export interface MetainfoTarget {
  name: string;
  parse(b: Uint8Array): ParsedTorrentView;
  isTypedError?(e: unknown): boolean;
}

/** A BEP 15 tracker. `open` gives a fresh conversation (socket) per case. */
export interface UdpTrackerTarget {
  label: string;
  open(): Promise<DatagramChannel>;
  /** A hash the tracker accepts (allow-list); absent = random hashes, which open trackers track. */
  infoHash?: Uint8Array;
}

/** A BEP 3 / BEP 23 HTTP tracker. */
export interface HttpTrackerTarget {
  label: string;
  http: HttpChannel;
  /** Path of the announce URL, e.g. '/announce'. */
  announcePath: string;
  infoHash?: Uint8Array;
}

/** The torrent the peer under test serves (from --torrent). */
export interface TorrentFacts {
  infoHash: Uint8Array;
  pieceCount: number;
  pieceLength: number;
  totalLength: number;
  /** Concatenated SHA-1 piece hashes. */
  pieces: Uint8Array;
  /** Raw info dict, when known (to check metadata_size and ut_metadata data). */
  rawInfo?: Uint8Array;
}

/** A peer reached by address (BEP 3 wire, BEP 10, BEP 9, BEP 6). */
export interface PeerTarget {
  label: string;
  address: Address;
  torrent: TorrentFacts;
  /** How long to wait for an unchoke after `interested` (Transmission and the reference choker run every 10 s). */
  unchokeTimeoutMs?: number;
}

/** A BEP 5 DHT node. */
export interface DhtTarget {
  label: string;
  open(): Promise<DatagramChannel>;
}
