import { BlockState, type PickerPeer } from '../plugin-api/picker.js';
import { BLOCK_SIZE } from '../wire/types.js';
import type { PeerConn } from '../peer/peer-conn.js';
import { reqKey } from '../peer/outstanding.js';
import type { Torrent } from './torrent.js';

/**
 * The download half of the engine: keep each peer's request pipeline full with blocks the
 * picker plugin chooses (BEP3-STATE-5), accept blocks, cancel endgame duplicates, hand full
 * pieces to verification, and give back the requests of peers that choke, reject or stall.
 */

const REFILL_BATCH = 4;

/** Requests to keep in flight: `pipelineSeconds` of the peer's rate, within [min, min(max, reqq)]. */
export function pipelineDepth(t: Torrent, p: PeerConn): number {
  const c = t.config;
  const byRate = Math.ceil((p.down.rate(t.now()) * c.pipelineSeconds) / BLOCK_SIZE);
  return Math.max(c.minPipeline, Math.min(byRate, c.maxPipeline, p.reqq));
}

/** The read-only view the picker plugin gets of a peer: one per connection, prototype methods (no closures). */
class ConnPickerPeer implements PickerPeer {
  constructor(private readonly p: PeerConn) {}
  get id(): string { return this.p.key; }
  has(i: number): boolean { return this.p.hasPiece(i); }
  get haveCount(): number { return this.p.hasCount; }
  get downloadRate(): number { return this.p.down.rate(this.p.owner.now()); }
  get pending(): number { return this.p.outstanding.size; }
  hasRequested(i: number, b: number): boolean { return this.p.outstanding.has(reqKey(i, b * BLOCK_SIZE)); }
  get allowedFast(): ReadonlySet<number> { return this.p.allowedFast; }
  get choking(): boolean { return this.p.peerChoking; }
  get hasBits(): Uint8Array { return this.p.has; }
}

function pickerPeer(p: PeerConn): PickerPeer {
  return (p.pickerView ??= new ConnPickerPeer(p)) as PickerPeer;
}

export function fillRequests(t: Torrent, p: PeerConn): void {
  if (!p.ready || p.closed || !p.amInterested || t.pieces.complete || !t.store) return;
  if (p.peerChoking && p.allowedFast.size === 0) return;
  // Disk backpressure: while storage holds too much unwritten data, start no new piece (blocks
  // of pieces already started still come: finishing them frees memory). Every piece that
  // storage finishes calls back into fillRequests.
  const overBudget = (t.store.bufferedBytes?.() ?? 0) > t.config.maxBufferedBytes;
  const depth = pipelineDepth(t, p);
  const room = depth - p.outstanding.size;
  // Refill in batches, not after every block: each pick scans the torrent, and a pipeline
  // that is still mostly full loses nothing by waiting for a few more blocks.
  if (room <= 0 || (p.outstanding.size > 0 && room < Math.max(REFILL_BATCH, depth >> 3))) return;
  // The picker said "nothing" for this peer and nothing that could change its mind happened
  // since (see PiecePicker.pick): skip the scan. Endgame is exempt: there every fulfilled
  // duplicate frees a candidate.
  const e = p.emptyPick;
  const pcs = t.pieces;
  if (e !== null && e.version === pcs.version && e.hasCount === p.hasCount && e.choking === p.peerChoking
    && e.fast === p.allowedFast.size && e.tick === t.ticks && pcs.missingUnrequestedBlocks > 0) return;
  const picks = t.picker.pick(pcs, pickerPeer(p), room, t.rng);
  if (picks.length === 0) {
    if (e === null) p.emptyPick = { version: pcs.version, hasCount: p.hasCount, choking: p.peerChoking, fast: p.allowedFast.size, tick: t.ticks };
    else { e.version = pcs.version; e.hasCount = p.hasCount; e.choking = p.peerChoking; e.fast = p.allowedFast.size; e.tick = t.ticks; }
    return;
  }
  p.emptyPick = null;
  let sent = 0;
  for (const { index, block } of picks) {
    if (sent >= room) break;
    // The picker is a plugin: never trust it to keep the rules (contract-tested, but enforced here).
    if (index < 0 || index >= t.pieces.pieceCount || !p.hasPiece(index) || t.pieces.have(index) || !t.pieces.wanted(index)) continue;
    if (block < 0 || block >= t.pieces.blockCount(index)) continue;
    if (p.peerChoking && !p.allowedFast.has(index)) continue;
    const st = t.pieces.blockState(index, block);
    if (st === BlockState.Received) continue;
    const partial = t.pieces.partial(index);
    if (overBudget && partial === undefined) continue;
    if (partial?.exclusiveTo !== undefined && partial.exclusiveTo !== p.key) continue;
    if (partial?.verifying) continue;
    const begin = block * BLOCK_SIZE;
    const key = reqKey(index, begin);
    if (p.outstanding.has(key)) continue;
    const length = t.pieces.blockLength(index, block);
    p.outstanding.add(key, length);
    t.pieces.requested(index, block);
    if (partial === undefined) {
      const fresh = t.pieces.partial(index);
      if (fresh && fresh.exclusiveTo === undefined && t.suspectPieces.has(index)) fresh.exclusiveTo = p.key;
    }
    p.send({ type: 'request', index, begin, length });
    sent++;
  }
}

/** Give back every outstanding request of a peer (choke without fast, close, snub). */
export function releaseRequests(t: Torrent, p: PeerConn, sendCancel: boolean): void {
  p.outstanding.drain((index, begin, length) => {
    if (sendCancel) p.send({ type: 'cancel', index, begin, length });
    t.pieces.unrequested(index, begin / BLOCK_SIZE);
  });
}

export function onReject(t: Torrent, p: PeerConn, index: number, begin: number): void {
  if (!p.outstanding.delete(reqKey(index, begin))) return;
  t.pieces.unrequested(index, begin / BLOCK_SIZE); // a key we made: begin is a block offset
}

export function onBlock(t: Torrent, p: PeerConn, index: number, begin: number, data: Uint8Array): void {
  const now = t.now();
  const key = reqKey(index, begin);
  const length = p.outstanding.lengthOf(key); // 0: not requested
  p.down.add(data.length, now);
  t.downMeter.add(data.length, now);
  if (length === 0) {
    // BEP3-MSG-12: an unrequested block may arrive after a quick choke/unchoke. Keep it when it
    // is exactly a block we still miss; otherwise it is waste.
    const block = begin / BLOCK_SIZE;
    const ok = Number.isInteger(block) && block < t.pieces.blockCount(index) && data.length === t.pieces.blockLength(index, block)
      && !t.pieces.have(index) && t.pieces.blockState(index, block) !== BlockState.Received && !t.pieces.partial(index)?.verifying;
    if (!ok) { t.wastedBytes += data.length; return; }
    acceptBlock(t, p, index, block, begin, data);
    return;
  }
  p.outstanding.delete(key);
  p.lastBlockAt = now;
  p.snubbed = false;
  const block = begin / BLOCK_SIZE; // requested by us: a block offset
  if (data.length !== length) { t.pieces.unrequested(index, block); t.wastedBytes += data.length; return; }
  if (!acceptBlock(t, p, index, block, begin, data)) t.wastedBytes += data.length;
  t.pieces.unrequested(index, block);
}

function acceptBlock(t: Torrent, p: PeerConn, index: number, block: number, begin: number, data: Uint8Array): boolean {
  if (!t.pieces.received(index, block, p.key)) return false;
  // Endgame: the same block may be requested from others; cancel those (BEP3-MSG-11).
  if (t.pieces.requestCount(index, block) > 1 || t.pieces.missingUnrequestedBlocks === 0) {
    const key = reqKey(index, begin);
    for (const q of t.peers) {
      if (q === p) continue;
      const length = q.outstanding.lengthOf(key);
      if (length === 0) continue;
      q.outstanding.delete(key);
      t.pieces.unrequested(index, block);
      q.send({ type: 'cancel', index, begin, length });
    }
  }
  t.writeBlock(index, begin, data);
  return true;
}
