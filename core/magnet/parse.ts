import { fromHex, toHex } from '../util/bytes.js';
import { MagnetError } from '../util/errors.js';
import type { Address } from '../seam/net.js';
import { base32Decode } from './base32.js';
import { parseHostPort } from './peer-address.js';
import type { Magnet } from './types.js';

/** Longest magnet link we read; real ones are well under 4 KiB even with many trackers. */
export const MAX_MAGNET_LENGTH = 65536;

/**
 * Parse a magnet link (BEP9-MAG-1..5). Only xt=urn:btih is required (BEP9-MAG-4); `xt.1`,
 * `tr.1`… numbered variants are read like their plain keys; unknown parameters are ignored.
 * Values are percent-decoded as UTF-8. In `dn` only, '+' also means a space (form encoding,
 * as libtorrent reads it); tracker URLs keep a literal '+'.
 */
export function parseMagnet(s: string): Magnet {
  if (s.length > MAX_MAGNET_LENGTH) throw new MagnetError(`link is longer than ${MAX_MAGNET_LENGTH} characters`);
  const m = /^magnet:\?/i.exec(s);
  if (!m) throw new MagnetError(`not a magnet link (must start with "magnet:?"): ${preview(s)}`);
  let infoHash: Uint8Array | undefined;
  let btmh: string | undefined;
  let name: string | undefined;
  const trackers: string[] = [];
  const peers: Address[] = [];
  const xts: string[] = [];

  for (const part of s.slice(m[0].length).split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) continue; // a bare flag: no parameter we know has none
    const key = part.slice(0, eq).toLowerCase().replace(/\.[0-9]+$/, '');
    const raw = part.slice(eq + 1);
    switch (key) {
      case 'xt': xts.push(pct(raw, 'xt')); break;
      case 'dn': name = pct(raw.replace(/\+/g, ' '), 'dn'); break;
      case 'tr': { const u = pct(raw, 'tr'); if (u !== '') trackers.push(u); break; }
      case 'x.pe': {
        const v = pct(raw, 'x.pe');
        const a = parseHostPort(v);
        if (typeof a === 'string') throw new MagnetError(`x.pe "${v}": ${a} (BEP9-MAG-5)`, { param: 'x.pe', value: v });
        peers.push(a);
        break;
      }
      default: break; // unknown parameters are ignored (ws, as, xs, kt, so, ...)
    }
  }

  for (const xt of xts) {
    const low = xt.toLowerCase();
    if (low.startsWith('urn:btih:')) {
      const h = decodeBtih(xt.slice(9));
      if (infoHash && toHex(infoHash) !== toHex(h)) throw new MagnetError('two different urn:btih hashes', { param: 'xt' });
      infoHash = h;
    } else if (low.startsWith('urn:btmh:')) {
      const v = xt.slice(9).toLowerCase();
      // BEP9-MAG-3: a multihash in hex; for SHA-256 that is 1220 + 64 hex digits.
      if (!/^(?:[0-9a-f]{2})+$/.test(v) || v.length < 4) throw new MagnetError(`urn:btmh "${preview(v)}" is not a hex multihash (BEP9-MAG-3)`, { param: 'xt' });
      btmh = v;
    }
    // Other URNs (urn:sha1, urn:ed2k…) belong to other networks: ignored.
  }
  if (!infoHash) {
    throw new MagnetError(btmh
      ? 'v2-only magnet (urn:btmh without urn:btih) is not supported'
      : 'no xt=urn:btih:<info hash> parameter (BEP9-MAG-4)', { param: 'xt' });
  }
  return { infoHash, infoHashHex: toHex(infoHash), name, trackers, peers, btmh };
}

/** BEP9-MAG-2: 40 hex digits (either case) or 32 base32 characters. */
function decodeBtih(v: string): Uint8Array {
  if (v.length === 40 && /^[0-9A-Fa-f]{40}$/.test(v)) return fromHex(v);
  if (v.length === 32) {
    const b = base32Decode(v);
    if (b) return b;
    throw new MagnetError(`btih "${v}" is not valid base32 (BEP9-MAG-2)`, { param: 'xt' });
  }
  if (v.length === 40) throw new MagnetError(`btih "${v}" is not hex (BEP9-MAG-2)`, { param: 'xt' });
  throw new MagnetError(`btih has ${v.length} characters; expected 40 hex or 32 base32 (BEP9-MAG-2)`, { param: 'xt', value: preview(v) });
}

function pct(v: string, param: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    throw new MagnetError(`${param} has bad percent-encoding: ${preview(v)}`, { param });
  }
}

const preview = (s: string): string => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
