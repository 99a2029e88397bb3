import type { Address } from '../seam/net.js';
import { TrackerError } from '../util/errors.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './ip.js';

/**
 * Compact peer lists: 4-byte IPv4 + 2-byte port (BEP23-4), 16-byte IPv6 + port (BEP23-5,
 * BEP 7 `peers6`, BEP15-V6-1). Used by the HTTP parser, the UDP codec and the server.
 */
export const peerSize = (family: 4 | 6): number => (family === 4 ? 6 : 18);

/**
 * `strict`: a length that is not a multiple of the entry size is an error (HTTP, BEP23-4).
 * Otherwise trailing bytes are ignored (UDP, BEP15-GEN-2 "tolerate longer packets").
 * Port 0 entries are dropped: nobody can dial them.
 */
export function decodeCompactPeers(b: Uint8Array, family: 4 | 6, strict: boolean): Address[] {
  const size = peerSize(family);
  if (strict && b.length % size !== 0) {
    throw new TrackerError(`compact ${family === 4 ? 'peers' : 'peers6'} length ${b.length} is not a multiple of ${size}`, {
      clause: family === 4 ? 'BEP23-4' : 'BEP23-5', length: b.length,
    });
  }
  const out: Address[] = [];
  for (let o = 0; o + size <= b.length; o += size) {
    const host = family === 4 ? formatIpv4(b, o) : formatIpv6(b, o);
    const port = (b[o + size - 2] << 8) | b[o + size - 1];
    if (port !== 0) out.push({ host, port });
  }
  return out;
}

/** Encode the peers of one family; peers of the other family (or host names) are skipped. */
export function encodeCompactPeers(peers: readonly Address[], family: 4 | 6): Uint8Array {
  const size = peerSize(family);
  const parsed: Array<[Uint8Array, number]> = [];
  for (const p of peers) {
    const ip = family === 4 ? parseIpv4(p.host) : parseIpv6(p.host);
    if (ip) parsed.push([ip, p.port]);
  }
  const out = new Uint8Array(parsed.length * size);
  parsed.forEach(([ip, port], i) => {
    const o = i * size;
    out.set(ip, o);
    out[o + size - 2] = (port >> 8) & 255;
    out[o + size - 1] = port & 255;
  });
  return out;
}
