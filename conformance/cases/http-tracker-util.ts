/** Shared by the HTTP tracker suites (bep3-tracker.ts, bep23.ts): build announces, read replies. */
import { decode } from '../../core/bencode/decode.js';
import { isDict, type BDict, type BValue } from '../../core/bencode/types.js';
import { percentEncodeBytes } from '../../core/tracker/http-url.js';
import { fromUtf8 } from '../../core/util/bytes.js';
import type { CaseContext } from '../types.js';
import type { HttpTrackerTarget } from '../targets/types.js';
import { cannotJudge, expect, showBytes } from '../verdicts.js';

export interface HttpAnnounce {
  infoHash: Uint8Array;
  peerId?: Uint8Array;
  port: number;
  left: number;
  event?: 'started' | 'completed' | 'stopped';
  compact?: 0 | 1;
  numwant?: number;
  /** Leave a parameter out (to provoke a failure reason). */
  omit?: string[];
}

export function announceQuery(ctx: CaseContext, a: HttpAnnounce): string {
  const peerId = a.peerId ?? ctx.rng.bytes(20);
  const q: Array<[string, string]> = [
    ['info_hash', percentEncodeBytes(a.infoHash)], ['peer_id', percentEncodeBytes(peerId)], ['port', String(a.port)],
    ['uploaded', '0'], ['downloaded', '0'], ['left', String(a.left)],
  ];
  if (a.event) q.push(['event', a.event]);
  if (a.compact !== undefined) q.push(['compact', String(a.compact)]);
  if (a.numwant !== undefined) q.push(['numwant', String(a.numwant)]);
  return q.filter(([k]) => !a.omit?.includes(k)).map(([k, v]) => `${k}=${v}`).join('&');
}

export async function announce(t: HttpTrackerTarget, ctx: CaseContext, a: HttpAnnounce): Promise<{ status: number; body: Uint8Array }> {
  const r = await t.http.get(t.announcePath, announceQuery(ctx, a), ctx.replyTimeoutMs);
  ctx.note(`GET ${t.announcePath} → ${r.status}, ${r.body.length} bytes: ${showBytes(r.body, 120)}`);
  return r;
}

/** A reply body as a dict (lenient key order: key order is its own case, BEP3-BENC-7). */
export function replyDict(body: Uint8Array): BDict {
  let v: BValue;
  try { v = decode(body, { strict: false }); } catch (e) { expect(false, `reply is not bencode: ${(e as Error).message}`); throw e; }
  expect(isDict(v), 'reply is not a bencoded dictionary (BEP3-TRK-5)');
  return v;
}

/** For cases that need a tracked swarm: a failure reason here means we cannot judge. */
export function requireTracked(t: HttpTrackerTarget, d: BDict): void {
  const f = d['failure reason'];
  if (f === undefined) return;
  const why = f instanceof Uint8Array ? fromUtf8(f) : String(f);
  if (t.infoHash) expect(false, `the tracker refused the given info hash: ${why}`);
  cannotJudge(`the tracker refused a random info hash (allow-list?): ${why}; pass --info-hash`);
}

export const hashFor = (t: HttpTrackerTarget, ctx: CaseContext): Uint8Array => t.infoHash ?? ctx.rng.bytes(20);
