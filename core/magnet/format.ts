import { addressKey } from '../seam/net.js';
import { toHex } from '../util/bytes.js';
import type { Magnet } from './types.js';

/**
 * Format a magnet link (BEP9-MAG-1): xt (btih as lowercase hex, then btmh if any), dn, every
 * tr, every x.pe. Values are percent-encoded with encodeURIComponent, so parseMagnet reads
 * back exactly the same fields.
 */
export function formatMagnet(m: Pick<Magnet, 'infoHash'> & Partial<Magnet>): string {
  let s = `magnet:?xt=urn:btih:${toHex(m.infoHash)}`;
  if (m.btmh) s += `&xt=urn:btmh:${m.btmh}`;
  if (m.name !== undefined) s += `&dn=${encodeURIComponent(m.name)}`;
  for (const t of m.trackers ?? []) s += `&tr=${encodeURIComponent(t)}`;
  for (const p of m.peers ?? []) s += `&x.pe=${encodeURIComponent(addressKey(p))}`;
  return s;
}
