import type { Address } from '../seam/net.js';
import { decode } from '../bencode/decode.js';
import { isBytes, isDict, isList, keyToBytes, type BDict, type BValue } from '../bencode/types.js';
import { fromUtf8, toHex } from '../util/bytes.js';
import { BtLabError, TrackerError } from '../util/errors.js';
import { decodeCompactPeers } from './compact-peers.js';
import type { AnnounceResult, ScrapeResult } from './types.js';

/**
 * HTTP tracker response bodies (BEP 3, BEP 23, BEP 7). Lenient where trackers in the wild
 * differ and the meaning is still clear (unsorted keys, a missing `peers` when there are
 * none) — those are listed in `tolerated`; strict where guessing would hand the engine
 * garbage (a compact string whose length is not a multiple of 6, BEP23-4).
 */

/** Default re-announce when a tracker omits `interval` (what common clients assume). */
export const DEFAULT_INTERVAL_S = 1800;

function decodeBody(body: Uint8Array): BDict {
  let v: BValue;
  try {
    // Non-canonical bencode (unsorted keys, i-0e) is common in tracker replies; accept it.
    v = decode(body, { strict: false, maxDepth: 16 });
  } catch (e) {
    throw new TrackerError(`response is not bencode: ${(e as Error).message}`, { cause: (e as BtLabError).code, length: body.length });
  }
  if (!isDict(v)) throw new TrackerError('response is not a dictionary', { clause: 'BEP3-TRK-5' });
  return v;
}

const str = (v: BValue | undefined): string | undefined => (isBytes(v) ? fromUtf8(v) : undefined);
const num = (v: BValue | undefined): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined;
const count = (v: BValue | undefined): number | undefined => {
  const n = num(v);
  return n !== undefined && n >= 0 ? n : undefined;
};

/** A `failure reason` means failure whatever else is present (BEP3-TRK-5). */
function throwIfFailure(d: BDict): void {
  const f = d['failure reason'];
  if (f === undefined) return;
  const reason = str(f) ?? String(num(f) ?? 'unreadable failure reason');
  throw new TrackerError(`tracker failure: ${reason}`, { clause: 'BEP3-TRK-5', failure: reason });
}

function dictPeers(list: BValue[], tolerated: Set<string>): Address[] {
  const out: Address[] = [];
  for (const e of list) {
    // BEP3-TRK-7: {peer id, ip, port}; ip may be a DNS name. Skip unusable entries one by one.
    if (!isDict(e)) { tolerated.add('BEP3-TRK-7'); continue; }
    const ip = str(e.ip);
    const port = num(e.port);
    if (!ip || port === undefined || !Number.isInteger(port) || port < 1 || port > 65535 || ip.length > 255) {
      tolerated.add('BEP3-TRK-7');
      continue;
    }
    out.push({ host: ip, port });
  }
  return out;
}

export function parseAnnounceResponse(body: Uint8Array): AnnounceResult {
  const d = decodeBody(body);
  throwIfFailure(d);
  const tolerated = new Set<string>();
  let interval = num(d.interval);
  if (interval === undefined || interval < 0) { tolerated.add('BEP3-TRK-6'); interval = DEFAULT_INTERVAL_S; }
  const peers: Address[] = [];
  const p = d.peers;
  // BEP23-3: accept both forms whatever we asked for.
  if (isBytes(p)) peers.push(...decodeCompactPeers(p, 4, true));
  else if (isList(p)) peers.push(...dictPeers(p, tolerated));
  else if (p === undefined) { if (d.peers6 === undefined) tolerated.add('BEP3-TRK-6'); }
  else throw new TrackerError('`peers` is neither a string nor a list', { clause: 'BEP3-TRK-6' });
  const p6 = d.peers6;
  if (isBytes(p6)) peers.push(...decodeCompactPeers(p6, 6, true)); // BEP23-5 / BEP 7
  else if (p6 !== undefined) throw new TrackerError('`peers6` is not a string', { clause: 'BEP23-5' });
  const res: AnnounceResult = { interval, peers };
  const min = count(d['min interval']);
  if (min !== undefined) res.minInterval = min;
  const complete = count(d.complete);
  if (complete !== undefined) res.complete = complete;
  const incomplete = count(d.incomplete);
  if (incomplete !== undefined) res.incomplete = incomplete;
  if (isBytes(d['tracker id'])) res.trackerId = d['tracker id'];
  const warning = str(d['warning message']);
  if (warning !== undefined) res.warning = warning;
  if (tolerated.size) res.tolerated = [...tolerated];
  return res;
}

/** Scrape reply: `files` maps raw 20-byte info hashes to {complete, downloaded, incomplete}. */
export function parseScrapeResponse(body: Uint8Array): ScrapeResult {
  const d = decodeBody(body);
  throwIfFailure(d);
  const files = d.files;
  if (!isDict(files)) throw new TrackerError('scrape response has no `files` dictionary');
  const out: ScrapeResult = new Map();
  for (const k of Object.keys(files)) {
    const e = files[k];
    const hash = keyToBytes(k);
    if (hash.length !== 20 || !isDict(e)) continue;
    out.set(toHex(hash), {
      complete: count(e.complete) ?? 0,
      downloaded: count(e.downloaded) ?? 0,
      incomplete: count(e.incomplete) ?? 0,
    });
  }
  return out;
}

