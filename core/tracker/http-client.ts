import type { HttpNet } from '../seam/net.js';
import { TrackerError } from '../util/errors.js';
import { buildAnnounceUrl, buildScrapeUrl, scrapeUrlFor } from './http-url.js';
import { parseAnnounceResponse, parseScrapeResponse } from './http-response.js';
import type { AnnounceRequest, AnnounceResult, Cancelable, Done, ScrapeResult } from './types.js';

export interface HttpTrackerOptions {
  timeoutMs?: number;
  /** Body cap: a tracker reply is small; a huge one is a broken or hostile tracker. */
  maxBytes?: number;
}

const DEFAULTS = { timeoutMs: 15_000, maxBytes: 1 << 20 };

/**
 * One HTTP announce through the host's HttpNet. A non-200 status is a failure, but its body
 * is still read for a `failure reason` first (many trackers send one with 4xx) so the user
 * sees the tracker's own words.
 */
export function httpAnnounce(http: HttpNet, announceUrl: string, req: AnnounceRequest, opts: HttpTrackerOptions, done: Done<AnnounceResult>): Cancelable {
  const url = buildAnnounceUrl(announceUrl, req);
  return fetchParsed(http, url, opts, parseAnnounceResponse, done);
}

export function httpScrape(http: HttpNet, announceUrl: string, infoHashes: readonly Uint8Array[], opts: HttpTrackerOptions, done: Done<ScrapeResult>): Cancelable {
  const base = scrapeUrlFor(announceUrl);
  if (!base) {
    done(new TrackerError('tracker is not scrapeable (last path segment is not `announce`)', { url: announceUrl }));
    return { cancel() {} };
  }
  return fetchParsed(http, buildScrapeUrl(base, infoHashes), opts, parseScrapeResponse, done);
}

function fetchParsed<T>(http: HttpNet, url: string, opts: HttpTrackerOptions, parse: (b: Uint8Array) => T, done: Done<T>): Cancelable {
  const timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const maxBytes = opts.maxBytes ?? DEFAULTS.maxBytes;
  return http.get(url, { timeoutMs, maxBytes }, (err, res) => {
    if (err || !res) { done(err instanceof TrackerError ? err : new TrackerError(`request failed: ${err?.message ?? 'no response'}`, { url: redact(url) })); return; }
    let parsed: T;
    try {
      parsed = parse(res.body);
    } catch (e) {
      const failure = (e as TrackerError).context?.failure;
      if (res.status !== 200 && failure === undefined) {
        done(new TrackerError(`HTTP ${res.status}`, { status: res.status, url: redact(url) }));
      } else done(e as Error);
      return;
    }
    if (res.status !== 200) { done(new TrackerError(`HTTP ${res.status}`, { status: res.status, url: redact(url) })); return; }
    done(null, parsed);
  });
}

/** Logs never need our peer id or a passkey: keep scheme, host and path. */
export function redact(url: string): string {
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}
