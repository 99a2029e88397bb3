import { toHex } from '../util/bytes.js';
import type { AnnounceRequest } from './types.js';

/**
 * HTTP tracker URLs (BEP 3 "Trackers"). info_hash and peer_id are 20 RAW bytes, so they are
 * percent-escaped byte by byte (BEP3-TRK-1) — never hex, never UTF-8 re-encoded.
 */

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** RFC 3986 escaping of raw bytes: unreserved ASCII stays, every other byte becomes %XX. */
export function percentEncodeBytes(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = String.fromCharCode(b[i]);
    s += b[i] < 0x80 && UNRESERVED.test(c) ? c : '%' + (b[i] < 16 ? '0' : '') + b[i].toString(16).toUpperCase();
  }
  return s;
}

/** Append `query` to `base`, which may already carry a query (private trackers put a passkey there). */
export function appendQuery(base: string, query: string): string {
  const hash = base.indexOf('#');
  if (hash >= 0) base = base.slice(0, hash); // a fragment is never sent
  if (!base.includes('?')) return `${base}?${query}`;
  return base.endsWith('?') || base.endsWith('&') ? base + query : `${base}&${query}`;
}

/**
 * The announce GET URL (BEP3-TRK-1). `event` is omitted for periodic announces (BEP3-TRK-3);
 * `compact=1` unless asked otherwise (BEP23-2); `key` as 8 hex digits like common clients;
 * `trackerid` only when the tracker gave one.
 */
export function buildAnnounceUrl(base: string, p: AnnounceRequest): string {
  const q: string[] = [
    `info_hash=${percentEncodeBytes(p.infoHash)}`,
    `peer_id=${percentEncodeBytes(p.peerId)}`,
    `port=${p.port}`,
    `uploaded=${Math.max(0, Math.floor(p.uploaded))}`,
    `downloaded=${Math.max(0, Math.floor(p.downloaded))}`,
    `left=${Math.max(0, Math.floor(p.left))}`,
    `compact=${p.compact === false ? 0 : 1}`,
  ];
  if (p.numwant !== undefined) q.push(`numwant=${Math.max(0, Math.floor(p.numwant))}`);
  q.push(`key=${(p.key >>> 0).toString(16).padStart(8, '0')}`);
  if (p.event !== 'none') q.push(`event=${p.event}`);
  if (p.trackerId && p.trackerId.length > 0) q.push(`trackerid=${percentEncodeBytes(p.trackerId)}`);
  return appendQuery(base, q.join('&'));
}

/**
 * Scrape convention (BEP 48 / the wiki's rule): take the text after the LAST '/' of the
 * whole URL; if it starts with `announce`, replace that word with `scrape` and keep the rest
 * (`announce.php?pk=1` → `scrape.php?pk=1`); otherwise the tracker is not scrapeable (null).
 * So `/announce?x=2/4` and `/x%064announce` are not scrapeable, exactly as the wiki lists.
 */
export function scrapeUrlFor(announceUrl: string): string | null {
  const slash = announceUrl.lastIndexOf('/');
  if (slash < 0 || !announceUrl.startsWith('announce', slash + 1)) return null;
  if (announceUrl.slice(0, slash).endsWith(':/')) return null; // 'http://announce': no path at all
  return `${announceUrl.slice(0, slash + 1)}scrape${announceUrl.slice(slash + 1 + 'announce'.length)}`;
}

export function buildScrapeUrl(scrapeBase: string, infoHashes: readonly Uint8Array[]): string {
  return appendQuery(scrapeBase, infoHashes.map((h) => `info_hash=${percentEncodeBytes(h)}`).join('&'));
}

/** For logs: a URL without its raw-byte parameters. */
export const describeAnnounce = (p: AnnounceRequest): string => `${toHex(p.infoHash)} ${p.event}`;
