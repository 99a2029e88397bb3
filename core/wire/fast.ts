import { sha1 } from '../util/sha1.js';
import { readU32 } from '../util/bytes.js';
import { ProtocolError } from '../util/errors.js';

/**
 * BEP 6 allowed-fast set: the k pieces a peer at `ipv4` may download from us while choked.
 * Canonical algorithm (BEP 6 "Allowed Fast"): x = (ip & 0xFFFFFF00) ++ infohash; repeatedly
 * x = SHA1(x) and take its five big-endian u32 words mod pieceCount, skipping duplicates.
 * Masking to the /24 keeps one host from collecting sets by hopping addresses.
 * k is clamped to pieceCount so the loop always ends. IPv6 is not defined by BEP 6: the
 * caller should not offer an allowed-fast set to IPv6 peers.
 */
export function allowedFastSet(k: number, pieceCount: number, infoHash: Uint8Array, ipv4: string | Uint8Array): number[] {
  if (infoHash.length !== 20) throw new ProtocolError(`allowed-fast: info hash is ${infoHash.length} bytes, not 20`);
  const ip = typeof ipv4 === 'string' ? parseIpv4(ipv4) : ipv4;
  if (ip.length !== 4) throw new ProtocolError(`allowed-fast: IPv4 address must be 4 bytes, got ${ip.length}`);
  const want = Math.min(Math.max(0, Math.floor(k)), pieceCount);
  const out: number[] = [];
  if (want === 0) return out;
  const seen = new Set<number>();
  let x: Uint8Array = new Uint8Array(24);
  x.set([ip[0], ip[1], ip[2], 0], 0);
  x.set(infoHash, 4);
  while (out.length < want) {
    x = sha1(x);
    for (let i = 0; i < 5 && out.length < want; i++) {
      const index = readU32(x, i * 4) % pieceCount;
      if (!seen.has(index)) { seen.add(index); out.push(index); }
    }
  }
  return out;
}

/** Dotted-quad to 4 bytes; throws ProtocolError on anything else. */
export function parseIpv4(s: string): Uint8Array {
  const parts = s.split('.');
  const ok = parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
  if (!ok) throw new ProtocolError(`not an IPv4 address: ${s}`, { address: s });
  return new Uint8Array(parts.map(Number));
}
