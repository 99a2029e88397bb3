import { ProtocolError } from '../util/errors.js';
import { RESERVED, type Handshake } from './types.js';
import { HANDSHAKE_SIZE } from './size.js';

/** The protocol string (BEP3-HS-1), preceded on the wire by its length, 19. */
export const PROTOCOL_NAME = new Uint8Array([
  0x42, 0x69, 0x74, 0x54, 0x6f, 0x72, 0x72, 0x65, 0x6e, 0x74, 0x20, // 'BitTorrent '
  0x70, 0x72, 0x6f, 0x74, 0x6f, 0x63, 0x6f, 0x6c, // 'protocol'
]);

export type ReservedBit = (typeof RESERVED)[keyof typeof RESERVED];

/** True when `bit` is set in the 8 reserved bytes (BEP3-HS-2). */
export function hasReserved(reserved: Uint8Array, bit: ReservedBit): boolean {
  return (reserved[bit.byte] & bit.mask) !== 0;
}

/** Sets `bit` in place and returns the same array, so calls chain. */
export function setReserved(reserved: Uint8Array, bit: ReservedBit): Uint8Array {
  reserved[bit.byte] |= bit.mask;
  return reserved;
}

/** Fresh 8 reserved bytes with the chosen capabilities advertised (BEP3-HS-2). */
export function makeReserved(opts: { extension?: boolean; dht?: boolean; fast?: boolean } = {}): Uint8Array {
  const r = new Uint8Array(8);
  if (opts.extension) setReserved(r, RESERVED.extension);
  if (opts.dht) setReserved(r, RESERVED.dht);
  if (opts.fast) setReserved(r, RESERVED.fast);
  return r;
}

/** The 68-byte handshake (BEP3-HS-1). Throws ProtocolError on wrongly sized fields (a caller bug). */
export function encodeHandshake(h: Handshake): Uint8Array {
  checkLen('reserved', h.reserved, 8);
  checkLen('infoHash', h.infoHash, 20);
  checkLen('peerId', h.peerId, 20);
  const out = new Uint8Array(HANDSHAKE_SIZE);
  out[0] = 19;
  out.set(PROTOCOL_NAME, 1);
  out.set(h.reserved, 20);
  out.set(h.infoHash, 28);
  out.set(h.peerId, 48);
  return out;
}

function checkLen(field: string, b: Uint8Array, n: number): void {
  if (!(b instanceof Uint8Array) || b.length !== n) {
    throw new ProtocolError(`cannot encode handshake: ${field} must be ${n} bytes`, { field, length: b?.length });
  }
}

/**
 * Checks the handshake prefix as far as it has arrived (`b` holds bytes 0..b.length-1 of the
 * handshake), so a non-BitTorrent peer (or an MSE-encrypted stream) is refused at its first
 * wrong byte instead of after 68 bytes. BEP3-HS-1.
 */
export function checkHandshakePrefix(b: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to && i < 20; i++) {
    if (i === 0) {
      if (b[0] !== 19) throw new ProtocolError(`handshake pstrlen is ${b[0]}, not 19`, { pstrlen: b[0] });
    } else if (b[i] !== PROTOCOL_NAME[i - 1]) {
      throw new ProtocolError(`handshake protocol string is not 'BitTorrent protocol' (byte ${i})`, { offset: i, byte: b[i] });
    }
  }
}

/** Parses a complete 68-byte handshake; the fields are copies, even of a Buffer (BEP3-HS-1). */
export function parseHandshake(b: Uint8Array): Handshake {
  if (b.length !== HANDSHAKE_SIZE) throw new ProtocolError(`handshake is ${b.length} bytes, not 68`, { length: b.length });
  checkHandshakePrefix(b, 0, 20);
  return {
    reserved: new Uint8Array(b.subarray(20, 28)),
    infoHash: new Uint8Array(b.subarray(28, 48)),
    peerId: new Uint8Array(b.subarray(48, 68)),
  };
}
