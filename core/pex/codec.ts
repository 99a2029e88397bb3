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
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6, writeIpv4 } from '../tracker/ip.js';

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

/**
 * Compact rows of the dialable addresses of one family, plus their flags when `flags` is
 * given. One pass, each address parsed once, written straight into the output (this runs for
 * every PEX message of every connection: simulator allocation profiles showed the earlier
 * filter/map/tuple version as a quarter of all bytes allocated in a swarm run).
 */
function packRows(addrs: readonly Address[], flags: readonly number[] | null, family: 4 | 6): { rows: Uint8Array; flags: Uint8Array } {
  const size = SIZE[family];
  const rows = new Uint8Array(addrs.length * size);
  const f = new Uint8Array(flags ? addrs.length : 0);
  let n = 0;
  for (let i = 0; i < addrs.length; i++) {
    const a = addrs[i];
    if (!(Number.isInteger(a.port) && a.port > 0 && a.port < 65536)) continue;
    const o = n * size;
    if (family === 4) {
      if (!writeIpv4(a.host, rows, o)) continue;
    } else {
      if (writeIpv4(a.host, rows, o)) continue; // an IPv4 literal is not a v6 entry
      const ip = parseIpv6(a.host);
      if (!ip) continue;
      rows.set(ip, o);
    }
    rows[o + size - 2] = a.port >> 8;
    rows[o + size - 1] = a.port & 255;
    if (flags) f[n] = flags[i] & 0xff;
    n++;
  }
  return { rows: n === addrs.length ? rows : rows.slice(0, n * size), flags: n === f.length ? f : f.slice(0, n) };
}

/** Which family an address literal belongs to (host names and junk: none — never sent). */
export function pexFamily(host: string): 4 | 6 | null {
  if (parseIpv4(host)) return 4;
  if (parseIpv6(host)) return 6;
  return null;
}

/** True when `host` may be an IPv6 literal (cheap pre-check: IPv4 literals and names have no ':'). */
const maybeV6 = (host: string): boolean => host.includes(':');

export function encodePexMessage(m: PexMessage): Uint8Array {
  const addrs: Address[] = new Array(m.added.length);
  const flags: number[] = new Array(m.added.length);
  for (let i = 0; i < m.added.length; i++) { addrs[i] = m.added[i].addr; flags[i] = m.added[i].flags; }
  const v4 = packRows(addrs, flags, 4);
  const v6 = addrs.some((a) => maybeV6(a.host)) ? packRows(addrs, flags, 6) : EMPTY_ROWS;
  const dropped6 = m.dropped.some((a) => maybeV6(a.host));
  return encode({
    added: v4.rows,
    'added.f': v4.flags,
    added6: v6.rows,
    'added6.f': v6.flags,
    dropped: packRows(m.dropped, null, 4).rows,
    dropped6: dropped6 ? packRows(m.dropped, null, 6).rows : EMPTY,
  });
}

const EMPTY = new Uint8Array(0);
const EMPTY_ROWS = { rows: EMPTY, flags: EMPTY };

function field(d: Record<string, BValue>, key: string): Uint8Array | undefined {
  const v = d[key];
  if (v === undefined) return undefined;
  if (!isBytes(v)) throw new ProtocolError(`ut_pex: \`${key}\` is not a string`, { key });
  return v;
}

/** Append the dialable entries of a compact list to `out` (with flags from `f`, when it fits). */
function unpackInto(b: Uint8Array | undefined, family: 4 | 6, key: string, max: number, f: Uint8Array | undefined, out: PexPeer[] | Address[], withFlags: boolean): void {
  if (!b) return;
  const size = SIZE[family];
  if (b.length % size !== 0) throw new ProtocolError(`ut_pex: \`${key}\` length ${b.length} is not a multiple of ${size}`, { key, length: b.length });
  const useFlags = f !== undefined && f.length === b.length / size;
  let kept = 0;
  for (let o = 0, i = 0; o < b.length && kept < max; o += size, i++) {
    const port = (b[o + size - 2] << 8) | b[o + size - 1];
    if (port === 0) continue;
    const addr: Address = { host: family === 4 ? formatIpv4(b, o) : formatIpv6(b, o), port };
    if (withFlags) (out as PexPeer[]).push({ addr, flags: useFlags ? f![i] : 0 });
    else (out as Address[]).push(addr);
    kept++;
  }
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
  unpackInto(field(v, 'added'), 4, 'added', max, field(v, 'added.f'), added, true);
  unpackInto(field(v, 'added6'), 6, 'added6', max, field(v, 'added6.f'), added, true);
  const dropped: Address[] = [];
  unpackInto(field(v, 'dropped'), 4, 'dropped', max, undefined, dropped, false);
  unpackInto(field(v, 'dropped6'), 6, 'dropped6', max, undefined, dropped, false);
  return { added, dropped };
}
