import type { CloseInfo, PeerLink, PeerLinkEvents } from '../../core/seam/net.js';
import type { Handshake, PeerMessage } from '../../core/wire/types.js';
import type { Kernel } from '../kernel/kernel.js';

/** One observed link event, with the simulated time it happened. */
export type Seen =
  | { t: number; ev: 'handshake'; h: Handshake }
  | { t: number; ev: 'message'; m: PeerMessage }
  | { t: number; ev: 'drain' }
  | { t: number; ev: 'close'; info: CloseInfo };

/** Test helper: attaches to a link and records everything it sees, in order. */
export function record(kernel: Kernel, link: PeerLink, extra: Partial<PeerLinkEvents> = {}): Seen[] {
  const seen: Seen[] = [];
  link.attach({
    onHandshake: (h) => { seen.push({ t: kernel.now, ev: 'handshake', h }); extra.onHandshake?.(h); },
    onMessage: (m) => { seen.push({ t: kernel.now, ev: 'message', m }); extra.onMessage?.(m); },
    onDrain: () => { seen.push({ t: kernel.now, ev: 'drain' }); extra.onDrain?.(); },
    onClose: (info) => { seen.push({ t: kernel.now, ev: 'close', info }); extra.onClose?.(info); },
  });
  return seen;
}

export const handshakeOf = (tag: number): Handshake => ({
  reserved: new Uint8Array(8),
  infoHash: new Uint8Array(20).fill(tag),
  peerId: new Uint8Array(20).fill(tag),
});
