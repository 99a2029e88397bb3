import type { PeerMessage } from './types.js';

/** Bytes a handshake takes on the wire (BEP3-HS-1). */
export const HANDSHAKE_SIZE = 68;

/**
 * Bytes a message takes on the wire, length prefix included (BEP3-MSG-1). The simulator
 * charges this against its bandwidth model instead of encoding the message.
 */
export function wireSize(m: PeerMessage): number {
  switch (m.type) {
    case 'keepalive': return 4;
    case 'choke': case 'unchoke': case 'interested': case 'not_interested':
    case 'have_all': case 'have_none': return 5;
    case 'have': case 'suggest': case 'allowed_fast': return 9;
    case 'bitfield': return 5 + m.bits.length;
    case 'request': case 'cancel': case 'reject': return 17;
    case 'piece': return 13 + m.block.length;
    case 'port': return 7;
    case 'extended': return 6 + m.payload.length;
    case 'unknown': return 5 + m.payload.length;
  }
}
