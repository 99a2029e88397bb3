import type { Address } from '../seam/net.js';
import { KrpcError } from '../util/errors.js';
import { ID_BYTES } from './node-id.js';

/** A DHT contact: node id + UDP address. */
export interface NodeInfo {
  id: Uint8Array;
  addr: Address;
}

export const COMPACT_PEER_BYTES = 6;
export const COMPACT_NODE_BYTES = ID_BYTES + COMPACT_PEER_BYTES;

/** Parse a dotted-quad IPv4 literal; undefined for anything else (IPv6 is BEP 32, not here). */
export function ipv4Bytes(host: string): Uint8Array | undefined {
  const parts = host.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return undefined;
    const n = Number(parts[i]);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

/** Compact peer info (BEP5-ENC-1): 4-byte IPv4 + 2-byte port, network order. */
export function encodeCompactPeer(a: Address): Uint8Array | undefined {
  const ip = ipv4Bytes(a.host);
  if (!ip || !(a.port >= 0 && a.port <= 65535)) return undefined;
  const out = new Uint8Array(COMPACT_PEER_BYTES);
  out.set(ip, 0);
  out[4] = a.port >> 8; out[5] = a.port & 255;
  return out;
}

export function decodeCompactPeer(b: Uint8Array, at = 0): Address {
  if (b.length - at < COMPACT_PEER_BYTES) throw new KrpcError(203, 'compact peer info is not 6 bytes', { length: b.length - at });
  return { host: `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`, port: (b[at + 4] << 8) | b[at + 5] };
}

/** Compact node info list (BEP5-ENC-2). Nodes without an IPv4 address are left out. */
export function encodeNodes(nodes: readonly NodeInfo[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const n of nodes) {
    const p = encodeCompactPeer(n.addr);
    if (p && n.id.length === ID_BYTES) parts.push(n.id, p);
  }
  const out = new Uint8Array(parts.length / 2 * COMPACT_NODE_BYTES);
  for (let i = 0; i < parts.length; i += 2) {
    out.set(parts[i], (i / 2) * COMPACT_NODE_BYTES);
    out.set(parts[i + 1], (i / 2) * COMPACT_NODE_BYTES + ID_BYTES);
  }
  return out;
}

/** BEP5-ENC-2: the length must be a multiple of 26, otherwise the reply is malformed (203). */
export function decodeNodes(b: Uint8Array): NodeInfo[] {
  if (b.length % COMPACT_NODE_BYTES !== 0) {
    throw new KrpcError(203, `compact node info length ${b.length} is not a multiple of 26`, { length: b.length });
  }
  const out: NodeInfo[] = [];
  for (let o = 0; o < b.length; o += COMPACT_NODE_BYTES) {
    out.push({ id: b.slice(o, o + ID_BYTES), addr: decodeCompactPeer(b, o + ID_BYTES) });
  }
  return out;
}
