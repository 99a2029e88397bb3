/**
 * BEP 11 peer exchange (`ut_pex`) message codec. The payload of an extended message whose id
 * the peer assigned to `ut_pex` (BEP 10) is a bencoded dict:
 *   added     IPv4 peers, 6-byte compact (4 address + 2 port, network order)
 *   added.f   one flag byte per `added` peer (PEX_FLAGS)
 *   added6    IPv6 peers, 18-byte compact;  added6.f  their flags
 *   dropped   IPv4 peers we no longer connect to;  dropped6  the IPv6 ones
 *
 * Encoding writes all six keys (empty strings when empty), as libtorrent does, so strict
 * parsers find what they expect. Decoding is lenient where the BEP is silent and other clients
 * differ, strict where data would be misread:
 *   - missing keys = empty lists; a key of the wrong type, or a peer list whose length is not a
 *     multiple of its entry size, is a ProtocolError (the caller should drop the message — PEX is
 *     advisory, a bad message is no reason to drop the connection);
 *   - a flags string of the wrong length is ignored (flags 0) rather than misattributed;
 *   - port-0 entries are skipped (nobody can dial them);
 *   - at most `maxPeers` added and dropped entries per family are kept (receiver-side cap).
 */
import { decode, encode, isBytes, isDict, type BValue } from '../bencode/index.js';
import type { Address } from '../seam/net.js';
import { BencodeError, ProtocolError } from '../util/errors.js';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from '../tracker/ip.js';

export const UT_PEX = 'ut_pex';

/** added.f bits (BEP 11). */
export const PEX_FLAGS = {
  /** Prefers encrypted connections. */
  encryption: 0x01,
  /** Seed / upload-only. */
  seed: 0x02,
  /** Supports uTP (BEP 29). */
  utp: 0x04,
  /** Supports ut_holepunch (BEP 55). */
  holepunch: 0x08,
  /** Outgoing connection: the sender reached it, so it accepts connections. */
  reachable: 0x10,
} as const;

export interface PexPeer {
  addr: Address;
  flags: number;
  /** addressKey(addr), when the producer has it at hand (PexState then shares it). Not on the wire. */
  key?: string;
}

/** Both address families merged; the codec splits and joins them. */
export interface PexMessage {
  added: PexPeer[];
  dropped: Address[];
}

export interface PexDecodeOptions {
  /** Entries kept per list and family at most (default 1000). */
  maxPeers?: number;
}

const SIZE = { 4: 6, 6: 18 } as const;

function packPeers(addrs: readonly Address[], family: 4 | 6): Uint8Array {
  const size = SIZE[family];
  const rows: Array<[Uint8Array, number]> = [];
  for (const a of addrs) {
    const ip = family === 4 ? parseIpv4(a.host) : parseIpv6(a.host);
    if (ip && Number.isInteger(a.port) && a.port > 0 && a.port < 65536) rows.push([ip, a.port]);
  }
  const out = new Uint8Array(rows.length * size);
  rows.forEach(([ip, port], i) => {
    out.set(ip, i * size);
    out[i * size + size - 2] = port >> 8;
    out[i * size + size - 1] = port & 255;
  });
  return out;
}

/** Which family an address literal belongs to (host names and junk: none — never sent). */
export function pexFamily(host: string): 4 | 6 | null {
  if (parseIpv4(host)) return 4;
  if (parseIpv6(host)) return 6;
  return null;
}

export function encodePexMessage(m: PexMessage): Uint8Array {
  const v4 = m.added.filter((p) => pexFamily(p.addr.host) === 4 && p.addr.port > 0 && p.addr.port < 65536);
  const v6 = m.added.filter((p) => pexFamily(p.addr.host) === 6 && p.addr.port > 0 && p.addr.port < 65536);
  const flags = (ps: PexPeer[]) => Uint8Array.from(ps, (p) => p.flags & 0xff);
  return encode({
    added: packPeers(v4.map((p) => p.addr), 4),
    'added.f': flags(v4),
    added6: packPeers(v6.map((p) => p.addr), 6),
    'added6.f': flags(v6),
    dropped: packPeers(m.dropped.filter((a) => pexFamily(a.host) === 4), 4),
    dropped6: packPeers(m.dropped.filter((a) => pexFamily(a.host) === 6), 6),
  });
}

function field(d: Record<string, BValue>, key: string): Uint8Array | undefined {
  const v = d[key];
  if (v === undefined) return undefined;
  if (!isBytes(v)) throw new ProtocolError(`ut_pex: \`${key}\` is not a string`, { key });
  return v;
}

function unpack(b: Uint8Array | undefined, family: 4 | 6, key: string, max: number): Array<{ addr: Address; at: number }> {
  if (!b) return [];
  const size = SIZE[family];
  if (b.length % size !== 0) throw new ProtocolError(`ut_pex: \`${key}\` length ${b.length} is not a multiple of ${size}`, { key, length: b.length });
  const out: Array<{ addr: Address; at: number }> = [];
  for (let o = 0, i = 0; o < b.length && out.length < max; o += size, i++) {
    const port = (b[o + size - 2] << 8) | b[o + size - 1];
    if (port === 0) continue;
    out.push({ addr: { host: family === 4 ? formatIpv4(b, o) : formatIpv6(b, o), port }, at: i });
  }
  return out;
}

export function decodePexMessage(payload: Uint8Array, opts: PexDecodeOptions = {}): PexMessage {
  const max = opts.maxPeers ?? 1000;
  let v: BValue;
  try { v = decode(payload, { strict: false, maxDepth: 4 }); } catch (e) {
    if (e instanceof BencodeError) throw new ProtocolError(`ut_pex: not bencode: ${e.message}`, { offset: e.offset });
    throw e;
  }
  if (!isDict(v)) throw new ProtocolError('ut_pex: payload is not a dictionary');
  const added: PexPeer[] = [];
  for (const family of [4, 6] as const) {
    const key = family === 4 ? 'added' : 'added6';
    const list = unpack(field(v, key), family, key, max);
    const f = field(v, `${key}.f`);
    const count = (field(v, key)?.length ?? 0) / SIZE[family];
    const useFlags = f !== undefined && f.length === count;
    for (const { addr, at } of list) added.push({ addr, flags: useFlags ? f![at] : 0 });
  }
  const dropped = [
    ...unpack(field(v, 'dropped'), 4, 'dropped', max),
    ...unpack(field(v, 'dropped6'), 6, 'dropped6', max),
  ].map((x) => x.addr);
  return { added, dropped };
}
