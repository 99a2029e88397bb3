import { decodeExtHandshake, encodeExtHandshake, type ExtHandshake } from '../extension/handshake.js';
import { decodeMetadataMessage, encodeMetadataMessage, UT_METADATA, type MetadataMessage } from '../metadata/messages.js';
import { RESERVED, type PeerMessage } from '../wire/types.js';
import { decodePexMessage, UT_PEX, type PexMessage } from '../pex/codec.js';
import type { PeerConn } from '../peer/peer-conn.js';

/** The extensions bt-lab speaks, by the ids we ask peers to use (BEP10-HS-2). */
export const LOCAL_EXTENSIONS = { ut_metadata: 1, ut_pex: 2 } as const;

/** What we advertise: no PEX on private torrents (BEP 27). */
export function localExtensions(privateTorrent: boolean): Record<string, number> {
  return privateTorrent ? { ut_metadata: LOCAL_EXTENSIONS.ut_metadata } : { ...LOCAL_EXTENSIONS };
}
export const CLIENT_VERSION = 'bt-lab/0.1.0';

/** Did both sides set the BEP 10 bit (BEP10-BIT-1)? */
export function bothExtended(p: PeerConn): boolean {
  const r = p.remoteHandshake?.reserved;
  return !!r && (r[RESERVED.extension.byte] & RESERVED.extension.mask) !== 0;
}

export interface ExtHandshakeOptions { port?: number; metadataSize?: number; reqq: number; private?: boolean }

/** Our extension handshake (BEP 10 message id 0). A torrent sends the same one to every peer: build it once. */
export function extHandshakeMessage(opts: ExtHandshakeOptions): PeerMessage {
  return {
    type: 'extended', id: 0,
    payload: encodeExtHandshake({ m: localExtensions(opts.private ?? false), p: opts.port || undefined, v: CLIENT_VERSION, reqq: opts.reqq, metadataSize: opts.metadataSize }),
  };
}

/** BEP10-HS-5: send our extension handshake right after the BitTorrent handshake. */
export function sendExtHandshake(p: PeerConn, opts: ExtHandshakeOptions): void {
  p.send(extHandshakeMessage(opts));
}

export type ExtEvent =
  | { kind: 'handshake'; h: ExtHandshake }
  | { kind: 'ut_metadata'; msg: MetadataMessage }
  | { kind: 'ut_pex'; msg: PexMessage }
  | null;

/**
 * Decoded handshakes and PEX messages by payload OBJECT. WHY: a sender encodes its extension
 * handshake once per torrent and its PEX message once a minute (pex/state.ts), and in the
 * simulator every receiver gets that very object (messages travel as objects, never mutated
 * once sent) — one decode per distinct payload instead of one per connection. On real sockets
 * each payload is a new view and this only misses: one WeakMap lookup per message of these two
 * kinds. The results are frozen, since every connection that got the payload shares them.
 */
const decodedHandshakes = new WeakMap<Uint8Array, ExtHandshake>();
const decodedPex = new WeakMap<Uint8Array, PexMessage>();

function extHandshakeOf(payload: Uint8Array): ExtHandshake {
  let h = decodedHandshakes.get(payload);
  if (h === undefined) {
    h = decodeExtHandshake(payload); // throws on a malformed payload: nothing is cached
    Object.freeze(h.m);
    decodedHandshakes.set(payload, Object.freeze(h));
  }
  return h;
}

function pexMessageOf(payload: Uint8Array): PexMessage {
  let m = decodedPex.get(payload);
  if (m === undefined) {
    m = decodePexMessage(payload, { maxPeers: 200 });
    Object.freeze(m.added);
    Object.freeze(m.dropped);
    decodedPex.set(payload, Object.freeze(m));
  }
  return m;
}

/**
 * Decode an incoming extended message. Handshakes update the peer's id table (BEP10-HS-3,
 * HS-6: later ones are additive); ids we never offered are ignored. Malformed payloads throw
 * ProtocolError (the caller closes the link with its message).
 */
export function readExtended(p: PeerConn, id: number, payload: Uint8Array): ExtEvent {
  if (id === 0) {
    const h = extHandshakeOf(payload);
    p.ext.applyRemote(h);
    if (h.reqq !== undefined && h.reqq > 0) p.reqq = Math.min(h.reqq, 2000);
    if (h.v) p.clientName = h.v;
    if (h.p !== undefined && h.p > 0 && h.p < 65536) p.listenPort = h.p;
    return { kind: 'handshake', h };
  }
  const name = p.ext.nameForIncoming(id);
  if (name === UT_METADATA) return { kind: 'ut_metadata', msg: decodeMetadataMessage(payload) };
  if (name === UT_PEX) return { kind: 'ut_pex', msg: pexMessageOf(payload) };
  return null;
}

/** Send a ut_metadata message under the id the peer chose (BEP10-HS-3). */
export function sendMetadataMessage(p: PeerConn, m: Exclude<MetadataMessage, { type: 'unknown' }>): boolean {
  const id = p.ext.remoteId(UT_METADATA);
  if (!id) return false;
  p.send({ type: 'extended', id, payload: encodeMetadataMessage(m) });
  return true;
}
