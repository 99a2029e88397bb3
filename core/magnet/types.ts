import type { Address } from '../seam/net.js';

/** A parsed magnet link (BEP9-MAG-*). */
export interface Magnet {
  /** The v1 info hash from xt=urn:btih (BEP9-MAG-1/2). */
  infoHash: Uint8Array;
  /** Lowercase hex of infoHash. */
  infoHashHex: string;
  /** dn: a display name, advisory only (the real name comes with the metadata). */
  name?: string;
  /** tr: tracker URLs in link order (BEP9-MAG-4). */
  trackers: string[];
  /** x.pe: peers to contact directly (BEP9-MAG-5). */
  peers: Address[];
  /** xt=urn:btmh: the v2 multihash in hex (BEP9-MAG-3), kept for hybrid links; unused by v1. */
  btmh?: string;
}
