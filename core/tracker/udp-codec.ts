import type { Address } from '../seam/net.js';
import { fromUtf8, readU32, writeU32 } from '../util/bytes.js';
import { TrackerError } from '../util/errors.js';
import { decodeCompactPeers, encodeCompactPeers } from './compact-peers.js';
import type { ScrapeEntry } from './types.js';

/**
 * BEP 15 packets, both directions, as pure functions. Integers are big-endian (BEP15-GEN-1).
 * Parsers check minimum lengths and ignore trailing bytes (BEP15-GEN-2: future extensions
 * such as BEP 41 options make packets longer). Every malformed packet throws TrackerError
 * and nothing else.
 */

export const PROTOCOL_ID = new Uint8Array([0x00, 0x00, 0x04, 0x17, 0x27, 0x10, 0x19, 0x80]); // 0x41727101980
export const ACTION = { connect: 0, announce: 1, scrape: 2, error: 3 } as const;
/** About 74 hashes fit in one scrape (BEP15-SCR-1); more would not fit the usual MTU. */
export const MAX_SCRAPE_HASHES = 74;
const U32 = 4294967296;

// ---- little helpers -------------------------------------------------------------------

/** u64 fields (downloaded/left/uploaded) from non-negative JS numbers (exact below 2^53). */
function writeU64(b: Uint8Array, o: number, v: number): void {
  const x = Math.max(0, Math.floor(v));
  writeU32(b, o, Math.floor(x / U32) >>> 0);
  writeU32(b, o + 4, x % U32 >>> 0);
}
function readU64(b: Uint8Array, o: number): number {
  return readU32(b, o) * U32 + readU32(b, o + 4);
}
const readI32 = (b: Uint8Array, o: number): number => readU32(b, o) | 0;

function need(data: Uint8Array, min: number, what: string, clause: string): void {
  if (data.length < min) throw new TrackerError(`${what} too short: ${data.length} < ${min} bytes`, { clause, length: data.length });
}

// ---- client → tracker -----------------------------------------------------------------

/** BEP15-CONN-1: 16 bytes, protocol id, action 0, transaction id. */
export function encodeConnectRequest(txid: number): Uint8Array {
  const b = new Uint8Array(16);
  b.set(PROTOCOL_ID, 0);
  writeU32(b, 8, ACTION.connect);
  writeU32(b, 12, txid >>> 0);
  return b;
}

export interface UdpAnnounceFields {
  connectionId: Uint8Array; // 8 bytes
  txid: number;
  infoHash: Uint8Array;
  peerId: Uint8Array;
  downloaded: number;
  left: number;
  uploaded: number;
  /** BEP15-ANN-2: 0 none, 1 completed, 2 started, 3 stopped. */
  event: number;
  /** IPv4 address as u32; 0 = use the packet's source (the only sane value). */
  ip: number;
  key: number;
  /** Signed; -1 = tracker default (BEP15-GEN-1). */
  numWant: number;
  port: number;
}

/** BEP15-ANN-1: 98 bytes. */
export function encodeAnnounceRequest(f: UdpAnnounceFields): Uint8Array {
  const b = new Uint8Array(98);
  b.set(f.connectionId.subarray(0, 8), 0);
  writeU32(b, 8, ACTION.announce);
  writeU32(b, 12, f.txid >>> 0);
  b.set(f.infoHash.subarray(0, 20), 16);
  b.set(f.peerId.subarray(0, 20), 36);
  writeU64(b, 56, f.downloaded);
  writeU64(b, 64, f.left);
  writeU64(b, 72, f.uploaded);
  writeU32(b, 80, f.event >>> 0);
  writeU32(b, 84, f.ip >>> 0);
  writeU32(b, 88, f.key >>> 0);
  writeU32(b, 92, f.numWant | 0);
  b[96] = (f.port >> 8) & 255;
  b[97] = f.port & 255;
  return b;
}

/** BEP15-SCR-1. */
export function encodeScrapeRequest(connectionId: Uint8Array, txid: number, infoHashes: readonly Uint8Array[]): Uint8Array {
  if (infoHashes.length > MAX_SCRAPE_HASHES) throw new TrackerError(`at most ${MAX_SCRAPE_HASHES} hashes per UDP scrape`, { clause: 'BEP15-SCR-1' });
  const b = new Uint8Array(16 + 20 * infoHashes.length);
  b.set(connectionId.subarray(0, 8), 0);
  writeU32(b, 8, ACTION.scrape);
  writeU32(b, 12, txid >>> 0);
  infoHashes.forEach((h, i) => b.set(h.subarray(0, 20), 16 + 20 * i));
  return b;
}

export type UdpClientRequest =
  | { action: 'connect'; txid: number }
  | ({ action: 'announce' } & UdpAnnounceFields)
  | { action: 'scrape'; connectionId: Uint8Array; txid: number; infoHashes: Uint8Array[] };

/** The tracker's side: what did a client send? */
export function parseClientRequest(data: Uint8Array): UdpClientRequest {
  need(data, 16, 'request', 'BEP15-GEN-2');
  const action = readU32(data, 8);
  const txid = readU32(data, 12);
  if (action === ACTION.connect) {
    for (let i = 0; i < 8; i++) {
      if (data[i] !== PROTOCOL_ID[i]) throw new TrackerError('connect request without the protocol id', { clause: 'BEP15-CONN-1' });
    }
    return { action: 'connect', txid };
  }
  const connectionId = data.slice(0, 8);
  if (action === ACTION.announce) {
    need(data, 98, 'announce request', 'BEP15-ANN-1');
    return {
      action: 'announce', connectionId, txid,
      infoHash: data.slice(16, 36), peerId: data.slice(36, 56),
      downloaded: readU64(data, 56), left: readU64(data, 64), uploaded: readU64(data, 72),
      event: readU32(data, 80), ip: readU32(data, 84), key: readU32(data, 88),
      numWant: readI32(data, 92), port: (data[96] << 8) | data[97],
    };
  }
  if (action === ACTION.scrape) {
    const n = Math.min(Math.floor((data.length - 16) / 20), MAX_SCRAPE_HASHES);
    if (n < 1) throw new TrackerError('scrape request without an info hash', { clause: 'BEP15-SCR-1' });
    const infoHashes: Uint8Array[] = [];
    for (let i = 0; i < n; i++) infoHashes.push(data.slice(16 + 20 * i, 36 + 20 * i));
    return { action: 'scrape', connectionId, txid, infoHashes };
  }
  throw new TrackerError(`unknown action ${action}`, { clause: 'BEP15-GEN-2', action });
}

// ---- tracker → client -----------------------------------------------------------------

/** BEP15-CONN-2. */
export function encodeConnectResponse(txid: number, connectionId: Uint8Array): Uint8Array {
  const b = new Uint8Array(16);
  writeU32(b, 0, ACTION.connect);
  writeU32(b, 4, txid >>> 0);
  b.set(connectionId.subarray(0, 8), 8);
  return b;
}

/**
 * BEP15-ANN-3; peers of `family` only (BEP15-V6-2: the packet's address family decides).
 * `peers` may come pre-packed (the server keeps each peer's compact bytes).
 */
export function encodeAnnounceResponse(txid: number, interval: number, leechers: number, seeders: number, peers: readonly Address[] | Uint8Array, family: 4 | 6): Uint8Array {
  const packed = peers instanceof Uint8Array ? peers : encodeCompactPeers(peers, family);
  const b = new Uint8Array(20 + packed.length);
  b.set(packed, 20);
  return writeAnnounceResponseHeader(b, txid, interval, leechers, seeders);
}

/** The 20-byte announce reply header written into `b`, whose bytes from 20 on are the compact peers already. */
export function writeAnnounceResponseHeader(b: Uint8Array, txid: number, interval: number, leechers: number, seeders: number): Uint8Array {
  writeU32(b, 0, ACTION.announce);
  writeU32(b, 4, txid >>> 0);
  writeU32(b, 8, interval >>> 0);
  writeU32(b, 12, leechers >>> 0);
  writeU32(b, 16, seeders >>> 0);
  return b;
}

/** BEP15-SCR-2: seeders, completed, leechers per hash, in request order. */
export function encodeScrapeResponse(txid: number, entries: readonly ScrapeEntry[]): Uint8Array {
  const b = new Uint8Array(8 + 12 * entries.length);
  writeU32(b, 0, ACTION.scrape);
  writeU32(b, 4, txid >>> 0);
  entries.forEach((e, i) => {
    writeU32(b, 8 + 12 * i, e.complete >>> 0);
    writeU32(b, 12 + 12 * i, e.downloaded >>> 0);
    writeU32(b, 16 + 12 * i, e.incomplete >>> 0);
  });
  return b;
}

/** BEP15-ERR-1. */
export function encodeErrorResponse(txid: number, message: string): Uint8Array {
  const msg = new TextEncoder().encode(message);
  const b = new Uint8Array(8 + msg.length);
  writeU32(b, 0, ACTION.error);
  writeU32(b, 4, txid >>> 0);
  b.set(msg, 8);
  return b;
}

export type UdpTrackerReply =
  | { action: 'connect'; txid: number; connectionId: Uint8Array }
  | { action: 'announce'; txid: number; interval: number; leechers: number; seeders: number; peers: Address[] }
  | { action: 'scrape'; txid: number; entries: ScrapeEntry[] }
  | { action: 'error'; txid: number; message: string };

/** Read the action and transaction id only (8 bytes), to demultiplex before a full parse. */
export function peekReplyHeader(data: Uint8Array): { action: number; txid: number } | null {
  return data.length >= 8 ? { action: readU32(data, 0), txid: readU32(data, 4) } : null;
}

/**
 * The client's side. `family` is that of the socket the reply came in on (BEP15-V6-2):
 * IPv6 replies carry 18-byte peers. Length checks per action: CONN-3 (16), ANN-4 (20),
 * SCR-3 (8), ERR-1 (8).
 */
export function parseTrackerReply(data: Uint8Array, family: 4 | 6 = 4): UdpTrackerReply {
  need(data, 8, 'reply', 'BEP15-GEN-2');
  const action = readU32(data, 0);
  const txid = readU32(data, 4);
  switch (action) {
    case ACTION.connect:
      need(data, 16, 'connect reply', 'BEP15-CONN-3');
      return { action: 'connect', txid, connectionId: data.slice(8, 16) };
    case ACTION.announce:
      need(data, 20, 'announce reply', 'BEP15-ANN-4');
      return {
        action: 'announce', txid,
        interval: readU32(data, 8), leechers: readU32(data, 12), seeders: readU32(data, 16),
        peers: decodeCompactPeers(data.subarray(20), family, false),
      };
    case ACTION.scrape: {
      const entries: ScrapeEntry[] = [];
      for (let o = 8; o + 12 <= data.length; o += 12) {
        entries.push({ complete: readU32(data, o), downloaded: readU32(data, o + 4), incomplete: readU32(data, o + 8) });
      }
      return { action: 'scrape', txid, entries };
    }
    case ACTION.error:
      return { action: 'error', txid, message: fromUtf8(data.subarray(8)) };
    default:
      throw new TrackerError(`unknown action ${action} in reply`, { clause: 'BEP15-GEN-2', action });
  }
}
