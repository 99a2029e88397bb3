import type { ChokerPeer } from '../plugin-api/choker.js';
import type { PeerConn } from '../peer/peer-conn.js';
import { dropIncoming, pumpUploads } from './uploading.js';
import type { Torrent } from './torrent.js';

/**
 * Runs the choker plugin over read-only views of the ready peers and applies its verdict:
 * unchoke what it picked, choke the rest. The plugin decides; this file only translates.
 */
function view(p: PeerConn, now: number): ChokerPeer {
  return {
    id: p.key,
    interested: p.peerInterested,
    choked: p.amChoking,
    downloadRate: p.down.rate(now),
    uploadRate: p.up.rate(now),
    downloaded: p.down.total,
    uploaded: p.up.total,
    connectedAt: p.connectedAt,
    lastUnchokedAt: p.lastUnchokedAt,
    isSeed: p.isSeed,
    snubbed: p.snubbed,
    progress: p.pieceCount ? p.hasCount / p.pieceCount : 0,
    peerChoking: p.peerChoking,
  };
}

export function rechoke(t: Torrent, scheduled: boolean): void {
  const now = t.now();
  const ready = t.peers.filter((p) => p.ready && !p.closed);
  const verdict = t.choker.rechoke(ready.map((p) => view(p, now)), {
    now,
    seeding: t.pieces.complete,
    round: t.chokeRound,
    rng: t.chokerRng,
    uploadCapacity: t.config.uploadCapacityBps,
    torrentBytes: t.info.totalLength,
  });
  if (scheduled) t.chokeRound++;
  for (const p of ready) {
    const unchoke = verdict.has(p.key);
    if (unchoke && p.amChoking) {
      p.amChoking = false;
      p.lastUnchokedAt = now;
      p.unchokedSince = now;
      p.send({ type: 'unchoke' });
      pumpUploads(t, p);
    } else if (!unchoke && !p.amChoking) {
      p.amChoking = true;
      t.noteChoked(p, now);
      p.send({ type: 'choke' });
      dropIncoming(p);
    }
  }
}

/** An interested peer arrived and upload slots look free: do not make it wait a full round. */
export function maybeQuickUnchoke(t: Torrent): void {
  let active = 0;
  for (const p of t.peers) if (!p.amChoking && p.peerInterested) active++;
  if (active < t.quickUnchokeSlots) rechoke(t, false);
}
