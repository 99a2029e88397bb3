/**
 * Peer sessions shared by the wire suites (bep3-wire.ts, bep10.ts, bep9.ts, bep6.ts). Each
 * helper opens ONE connection, runs a short script, closes it and returns a snapshot; cases
 * that read the same kind of exchange share it through ctx.shared, so a whole run opens about
 * six connections to the peer under test.
 */
import { decodePrefix } from '../../core/bencode/decode.js';
import { isDict, type BDict } from '../../core/bencode/types.js';
import { encodeExtHandshake } from '../../core/extension/handshake.js';
import { encodeMetadataMessage, METADATA_PIECE_SIZE } from '../../core/metadata/messages.js';
import { hasReserved, makeReserved } from '../../core/wire/handshake.js';
import { RESERVED, BLOCK_SIZE, type Handshake, type PeerMessage } from '../../core/wire/types.js';
import { PeerSession, describeMessage, type Received } from '../channels/peer-session.js';
import type { CaseContext } from '../types.js';
import type { PeerTarget } from '../targets/types.js';
import { cannotJudge } from '../verdicts.js';

/** The id we ask the peer to use for ut_metadata towards us (not 1: checks BEP10-HS-3). */
export const OUR_UT_METADATA_ID = 3;

export interface Snapshot {
  sentReserved: Uint8Array;
  handshake?: Handshake;
  log: Received[];
  protocolError?: string;
  closed?: { reason: string; at: number };
  /** Both sides set the bit. */
  ext: boolean;
  fast: boolean;
  /** The first extended id-0 payload, decoded (or the decode error). */
  extHandshake?: { dict?: BDict; error?: string; raw: Uint8Array };
  /** Script notes (what we sent when). */
  steps: string[];
}

function ourPeerId(ctx: CaseContext): Uint8Array {
  const id = ctx.rng.bytes(20);
  id.set([0x2d, 0x43, 0x46, 0x30, 0x31, 0x30, 0x30, 0x2d]); // '-CF0100-'
  return id;
}

/** Connect, handshake (ext + fast bits), our extension handshake and have_none when negotiated. */
export async function openSession(t: PeerTarget, ctx: CaseContext, opts: { infoHash?: Uint8Array; ext?: boolean; fast?: boolean; retry?: boolean } = {}): Promise<{ s: PeerSession; snap: Snapshot }> {
  const reserved = makeReserved({ extension: opts.ext ?? true, fast: opts.fast ?? true });
  const steps: string[] = [];
  let s: PeerSession;
  let h: Handshake | null;
  for (let attempt = 1; ; attempt++) {
    s = await PeerSession.open(t.address, { lifetimeMs: 90_000 });
    s.sendHandshake({ reserved, infoHash: opts.infoHash ?? t.torrent.infoHash, peerId: ourPeerId(ctx) });
    h = await s.waitHandshake(ctx.replyTimeoutMs * 2);
    // Transmission refuses a new connection from an address whose previous connection it
    // has not yet cleaned up (closed without a byte): wait and dial again, at most twice.
    if (h || opts.retry === false || attempt === 3 || !s.closed || s.bytesReceived > 0) break;
    steps.push(`attempt ${attempt}: closed before any byte; dialling again`);
    s.close();
    await new Promise((r) => setTimeout(r, 1000 * attempt));
  }
  const snap: Snapshot = { sentReserved: reserved, log: s.log, ext: false, fast: false, steps };
  if (h) {
    snap.handshake = h;
    snap.ext = hasReserved(reserved, RESERVED.extension) && hasReserved(h.reserved, RESERVED.extension);
    snap.fast = hasReserved(reserved, RESERVED.fast) && hasReserved(h.reserved, RESERVED.fast);
    if (snap.ext) {
      s.send({ type: 'extended', id: 0, payload: encodeExtHandshake({ m: { ut_metadata: OUR_UT_METADATA_ID }, v: 'bt-lab-conformance/0.1', reqq: 250 }) });
      snap.steps.push('sent extension handshake');
    }
    if (snap.fast) { s.send({ type: 'have_none' }); snap.steps.push('sent have_none'); }
  }
  return { s, snap };
}

/** Freeze a session into its snapshot (and close it). */
export function finish(s: PeerSession, snap: Snapshot): Snapshot {
  s.close();
  snap.protocolError = s.protocolError?.message;
  // The harness's own close is not the peer's doing.
  snap.closed = s.closed && !s.closed.reason.startsWith('local:') ? s.closed : undefined;
  const eh = s.log.find((r) => r.m.type === 'extended' && r.m.id === 0);
  if (eh && eh.m.type === 'extended') {
    const raw = eh.m.payload;
    try {
      const { value } = decodePrefix(raw, { strict: false });
      snap.extHandshake = isDict(value) ? { dict: value, raw } : { error: 'not a dictionary', raw };
    } catch (e) { snap.extHandshake = { error: (e as Error).message, raw }; }
  }
  return snap;
}

export function requireHandshake(snap: Snapshot): Handshake {
  if (!snap.handshake) cannotJudge(`prerequisite: no handshake from the peer (${snap.protocolError ?? snap.closed?.reason ?? 'silent'})`);
  return snap.handshake;
}

/** The opening: handshake, extension handshake, the peer's first messages (≈ quiet 700 ms). */
export function opening(t: PeerTarget, ctx: CaseContext): Promise<Snapshot> {
  return ctx.shared('peer:opening', async () => {
    const { s, snap } = await openSession(t, ctx);
    if (snap.handshake) await s.settle(700, 4000);
    return finish(s, snap);
  });
}

export interface DownloadResult {
  snap: Snapshot;
  unchoked: boolean;
  /** Requests we sent for piece data, in order. */
  requested: Array<{ index: number; begin: number; length: number }>;
  cancelled: Array<{ index: number; begin: number; length: number }>;
  /** Outcome of the oversize request (BEP3-MSG-9), last step of the script. */
  oversize?: 'closed' | 'rejected' | 'served' | 'ignored';
  openAfterCancel?: boolean;
}

export function pieceSize(t: PeerTarget, i: number): number {
  const f = t.torrent;
  return i === f.pieceCount - 1 ? f.totalLength - f.pieceLength * (f.pieceCount - 1) : f.pieceLength;
}

/** All blocks of piece i (16 KiB, the last shorter). */
export function blocksOf(t: PeerTarget, i: number): Array<{ index: number; begin: number; length: number }> {
  const out = [];
  const size = pieceSize(t, i);
  for (let b = 0; b < size; b += BLOCK_SIZE) out.push({ index: i, begin: b, length: Math.min(BLOCK_SIZE, size - b) });
  return out;
}

/**
 * interested → unchoke → request every block of the first and the last piece (pipelined,
 * BEP3-STATE-5) → cancel two blocks right after requesting them (BEP3-MSG-11) → keep-alive →
 * finally one oversized request (BEP3-MSG-9), which may end the connection.
 */
export function download(t: PeerTarget, ctx: CaseContext): Promise<DownloadResult> {
  return ctx.shared('peer:download', async () => {
    const { s, snap } = await openSession(t, ctx);
    const res: DownloadResult = { snap, unchoked: false, requested: [], cancelled: [] };
    if (!snap.handshake) return { ...res, snap: finish(s, snap) };
    s.send({ type: 'interested' });
    snap.steps.push('sent interested');
    const un = await s.waitFor((m) => m.type === 'unchoke', t.unchokeTimeoutMs ?? 15_000);
    if (!un || s.ended) return { ...res, snap: finish(s, snap) };
    res.unchoked = true;
    const pieces = [...new Set([0, t.torrent.pieceCount - 1])];
    for (const i of pieces) for (const r of blocksOf(t, i)) { s.send({ type: 'request', ...r }); res.requested.push(r); }
    snap.steps.push(`requested ${res.requested.length} block(s) of piece(s) ${pieces.join(', ')}`);
    const want = res.requested.length;
    const isAnswer = (m: PeerMessage) => m.type === 'piece' || m.type === 'reject';
    const countAnswers = () => s.log.filter((r) => isAnswer(r.m)).length;
    const deadline = Date.now() + 20_000;
    while (countAnswers() < want && !s.ended && Date.now() < deadline) await s.waitFor(() => countAnswers() >= want, 500);
    // Cancel: a middle piece if there is one, else piece 0 again.
    const ci = t.torrent.pieceCount > 2 ? 1 : 0;
    const blocks = blocksOf(t, ci).slice(0, 2);
    for (const r of blocks) s.send({ type: 'request', ...r });
    for (const r of blocks) { s.send({ type: 'cancel', ...r }); res.cancelled.push(r); }
    snap.steps.push(`requested then cancelled ${blocks.length} block(s) of piece ${ci}`);
    s.send({ type: 'keepalive' });
    snap.steps.push('sent keep-alive');
    await s.settle(800, 3000);
    res.openAfterCancel = !s.ended;
    if (!s.ended) {
      const before = s.log.length;
      const big = { index: 0, begin: 0, length: 256 * 1024 };
      s.send({ type: 'request', ...big });
      snap.steps.push('sent a 256 KiB request');
      await s.settle(1000, 4000);
      const after = s.log.slice(before).map((r) => r.m);
      if (after.some((m) => m.type === 'piece' && m.block.length > 128 * 1024)) res.oversize = 'served';
      else if (after.some((m) => m.type === 'reject' && m.length === big.length)) res.oversize = 'rejected';
      else if (s.ended) res.oversize = 'closed';
      else res.oversize = 'ignored';
    }
    return { ...res, snap: finish(s, snap) };
  });
}

/** A short session that sends `extra` after the opening and reports whether the peer stayed. */
export async function probe(t: PeerTarget, ctx: CaseContext, extra: (s: PeerSession, snap: Snapshot) => void, waitMs = 1500, opts: { fast?: boolean } = {}): Promise<Snapshot> {
  const { s, snap } = await openSession(t, ctx, opts);
  if (snap.handshake) {
    await s.settle(300, 2000);
    extra(s, snap);
    await s.settle(waitMs, waitMs * 3);
  }
  return finish(s, snap);
}

export interface MetadataFetch {
  snap: Snapshot;
  remoteId?: number;
  size?: number;
  /** Replies to our requests: parsed dict + trailing bytes, in arrival order. */
  replies: Array<{ extId: number; dict?: BDict; trailing: Uint8Array; error?: string }>;
  requestedPieces: number[];
  outOfRange?: number;
}

/** ut_metadata: request every piece, one past the end, and an unknown msg_type (BEP9-MSG-3). */
export function fetchMetadata(t: PeerTarget, ctx: CaseContext): Promise<MetadataFetch> {
  return ctx.shared('peer:metadata', async () => {
    const { s, snap } = await openSession(t, ctx);
    const res: MetadataFetch = { snap, replies: [], requestedPieces: [] };
    if (!snap.handshake || !snap.ext) return { ...res, snap: finish(s, snap) };
    const eh = await s.waitFor((m) => m.type === 'extended' && m.id === 0, ctx.replyTimeoutMs * 2);
    const h = eh && eh.m.type === 'extended' ? safeDict(eh.m.payload) : undefined;
    const m = h && isDict(h.m) ? h.m : undefined;
    const id = m && typeof m.ut_metadata === 'number' ? m.ut_metadata : 0;
    const size = h && typeof h.metadata_size === 'number' ? h.metadata_size : (t.torrent.rawInfo?.length ?? 0);
    if (!id || !size) return { ...res, snap: finish(s, snap) };
    res.remoteId = id; res.size = size;
    const count = Math.min(Math.ceil(size / METADATA_PIECE_SIZE), 64);
    for (let p = 0; p < count; p++) { s.send({ type: 'extended', id, payload: encodeMetadataMessage({ type: 'request', piece: p }) }); res.requestedPieces.push(p); }
    res.outOfRange = count;
    s.send({ type: 'extended', id, payload: encodeMetadataMessage({ type: 'request', piece: count }) });
    snap.steps.push(`requested metadata pieces 0..${count - 1} and ${count} (out of range)`);
    // Unknown msg_type: must be ignored (BEP9-MSG-3).
    s.send({ type: 'extended', id, payload: new Uint8Array(Buffer.from('d8:msg_typei7e5:piecei0ee', 'latin1')) });
    snap.steps.push('sent msg_type 7 (unknown)');
    const isReply = (x: PeerMessage) => x.type === 'extended' && x.id !== 0;
    await s.waitFor(() => s.log.filter((r) => isReply(r.m)).length >= count + 1, 8000);
    await s.settle(700, 2000);
    for (const r of s.log) {
      if (r.m.type !== 'extended' || r.m.id === 0) continue;
      try {
        const { value, end } = decodePrefix(r.m.payload, { strict: false });
        res.replies.push({ extId: r.m.id, dict: isDict(value) ? value : undefined, trailing: r.m.payload.slice(end), error: isDict(value) ? undefined : 'not a dictionary' });
      } catch (e) { res.replies.push({ extId: r.m.id, trailing: new Uint8Array(0), error: (e as Error).message }); }
    }
    return { ...res, snap: finish(s, snap) };
  });
}

function safeDict(b: Uint8Array): BDict | undefined {
  try { const { value } = decodePrefix(b, { strict: false }); return isDict(value) ? value : undefined; } catch { return undefined; }
}

export function messagesLine(log: readonly Received[], max = 24): string {
  const names = log.slice(0, max).map((r) => describeMessage(r.m));
  return names.length ? names.join(', ') + (log.length > max ? `, … (${log.length})` : '') : '(none)';
}
