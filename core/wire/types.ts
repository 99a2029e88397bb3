/**
 * The peer-wire vocabulary (BEP3-MSG-3, BEP 6, BEP 10) as plain objects.
 *
 * These objects are what crosses the seam: the real host encodes/decodes them to bytes with
 * core/wire's codec; the simulator carries them as objects charged their wire size
 * (see wireSize in core/wire/size.ts). The pure peer logic never sees bytes.
 */

export interface Handshake {
  /** 8 reserved bytes (BEP3-HS-2). */
  reserved: Uint8Array;
  infoHash: Uint8Array;
  peerId: Uint8Array;
}

/** Reserved-bit helpers (BEP3-HS-2). */
export const RESERVED = {
  extension: { byte: 5, mask: 0x10 },
  dht: { byte: 7, mask: 0x01 },
  fast: { byte: 7, mask: 0x04 },
} as const;

export type PeerMessage =
  | { type: 'keepalive' }
  | { type: 'choke' }
  | { type: 'unchoke' }
  | { type: 'interested' }
  | { type: 'not_interested' }
  | { type: 'have'; index: number }
  /** Raw bitfield bytes (BEP3-MSG-7); validated against the piece count by the receiver. */
  | { type: 'bitfield'; bits: Uint8Array }
  | { type: 'request'; index: number; begin: number; length: number }
  /** `block` is real data in the real world; in the simulator a shared, possibly virtual, view. */
  | { type: 'piece'; index: number; begin: number; block: Uint8Array }
  | { type: 'cancel'; index: number; begin: number; length: number }
  /** BEP 5 PORT (id 9). */
  | { type: 'port'; port: number }
  /** BEP 6 fast extension (ids 13–17). */
  | { type: 'suggest'; index: number }
  | { type: 'have_all' }
  | { type: 'have_none' }
  | { type: 'reject'; index: number; begin: number; length: number }
  | { type: 'allowed_fast'; index: number }
  /** BEP 10 extended message (id 20); `id` 0 is the extension handshake. Payload is raw. */
  | { type: 'extended'; id: number; payload: Uint8Array }
  /** A message id we do not know: kept so that the receiver decides (ignore, per BEP 3). */
  | { type: 'unknown'; id: number; payload: Uint8Array };

export type PeerMessageType = PeerMessage['type'];

/** Message ids (BEP3-MSG-3). */
export const MSG_ID = {
  choke: 0, unchoke: 1, interested: 2, not_interested: 3, have: 4, bitfield: 5,
  request: 6, piece: 7, cancel: 8, port: 9,
  suggest: 13, have_all: 14, have_none: 15, reject: 16, allowed_fast: 17,
  extended: 20,
} as const;

/** Standard block size (BEP3-MSG-9). */
export const BLOCK_SIZE = 16384;
/** Largest request we serve; larger ones close the connection (BEP3-MSG-9, older text). */
export const MAX_REQUEST = 128 * 1024;
