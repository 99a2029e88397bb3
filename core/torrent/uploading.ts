import type { PeerConn } from '../peer/peer-conn.js';
import type { Torrent } from './torrent.js';

/**
 * The upload half: queue the peer's requests while it is unchoked (BEP3-STATE-2), read blocks
 * from storage a few at a time, and stop feeding a link whose send queue is above the
 * high-water mark until it drains — so a slow peer never makes us buffer the torrent in memory.
 */

export function onRequest(t: Torrent, p: PeerConn, index: number, begin: number, length: number): void {
  const refuse = p.amChoking || !t.pieces.have(index);
  if (refuse) {
    // BEP 6: with the fast extension every request gets a piece or a reject; without it, a
    // request while choked is simply dropped.
    if (p.fast && !(p.amChoking && p.allowedFast.has(index) && t.pieces.have(index))) {
      p.send({ type: 'reject', index, begin, length });
      return;
    }
    if (!p.fast) return;
  }
  if (p.incoming.length >= 2000) { p.close('request flood: more than 2000 queued requests'); return; }
  p.incoming.push({ index, begin, length });
  pumpUploads(t, p);
}

export function onCancel(p: PeerConn, index: number, begin: number, length: number): void {
  const i = p.incoming.findIndex((r) => r.index === index && r.begin === begin && r.length === length);
  if (i >= 0) p.incoming.splice(i, 1);
}

/** Dropping queued requests when we choke (BEP3-STATE-4; with fast they are rejected, BEP 6). */
export function dropIncoming(p: PeerConn): void {
  if (p.fast) for (const r of p.incoming) p.send({ type: 'reject', index: r.index, begin: r.begin, length: r.length });
  p.incoming.length = 0;
}

export function pumpUploads(t: Torrent, p: PeerConn): void {
  const store = t.store;
  if (!store) return;
  while (p.incoming.length > 0 && p.readsInFlight < t.config.maxReadsPerPeer && p.link.queuedBytes() < t.config.uploadHighWater && !p.closed) {
    const r = p.incoming.shift()!;
    p.readsInFlight++;
    store.read(r.index, r.begin, r.length, (err, data) => {
      p.readsInFlight--;
      if (p.closed) return;
      if (err || !data) {
        t.log('warn', 'read for upload failed', { piece: r.index, error: err?.message });
        if (p.fast) p.send({ type: 'reject', index: r.index, begin: r.begin, length: r.length });
      } else if (!p.amChoking || p.allowedFast.has(r.index)) {
        p.send({ type: 'piece', index: r.index, begin: r.begin, block: data });
        const now = t.now();
        p.up.add(data.length, now);
        t.upMeter.add(data.length, now);
      }
      pumpUploads(t, p);
    });
  }
}
