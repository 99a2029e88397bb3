import { ProtocolError } from '../util/errors.js';
import { writeU32, writeU16 } from '../util/bytes.js';
import { MSG_ID, type PeerMessage } from './types.js';
import { wireSize } from './size.js';

/**
 * Peer-wire message encoding (BEP3-MSG-1: `<u32 length><id><payload>`, BEP3-HS-5 big endian).
 *
 * Every encoder writes into a caller-sized buffer (encodeInto) so that batching several
 * small messages (encodeMessages) costs one allocation. Piece messages on the hot path should
 * NOT go through here: use encodePieceHeader and write the block separately (writev / cork),
 * which avoids copying 16 KiB per block.
 */

const KNOWN_IDS: ReadonlySet<number> = new Set(Object.values(MSG_ID));

/** One message as a fresh buffer of exactly wireSize(m) bytes. */
export function encodeMessage(m: PeerMessage): Uint8Array {
  const out = new Uint8Array(wireSize(m));
  encodeInto(m, out, 0);
  return out;
}

/** Several messages back to back in one buffer (one write, one allocation). */
export function encodeMessages(ms: readonly PeerMessage[]): Uint8Array {
  let n = 0;
  for (const m of ms) n += wireSize(m);
  const out = new Uint8Array(n);
  let o = 0;
  for (const m of ms) o = encodeInto(m, out, o);
  return out;
}

/**
 * The 13 bytes in front of a piece block (BEP3-MSG-10): length 9 + blockLength, id 7, index,
 * begin. The host writes this and then the block itself, so the block is never copied.
 */
export function encodePieceHeader(index: number, begin: number, blockLength: number): Uint8Array {
  u32('index', index); u32('begin', begin); u32('block length', blockLength + 9);
  const out = new Uint8Array(13);
  writeU32(out, 0, 9 + blockLength);
  out[4] = MSG_ID.piece;
  writeU32(out, 5, index);
  writeU32(out, 9, begin);
  return out;
}

/** Writes `m` at `o` in `out` (which must have room for wireSize(m)); returns the end offset. */
export function encodeInto(m: PeerMessage, out: Uint8Array, o: number): number {
  const size = wireSize(m);
  if (o + size > out.length) throw new RangeError(`encodeInto: need ${size} bytes at ${o}, buffer is ${out.length}`);
  writeU32(out, o, size - 4);
  if (m.type === 'keepalive') return o + 4;
  const p = o + 5; // first payload byte
  switch (m.type) {
    case 'choke': case 'unchoke': case 'interested': case 'not_interested':
    case 'have_all': case 'have_none':
      out[o + 4] = MSG_ID[m.type];
      break;
    case 'have': case 'suggest': case 'allowed_fast':
      out[o + 4] = MSG_ID[m.type];
      writeU32(out, p, u32('index', m.index));
      break;
    case 'bitfield':
      out[o + 4] = MSG_ID.bitfield;
      out.set(m.bits, p);
      break;
    case 'request': case 'cancel': case 'reject':
      out[o + 4] = MSG_ID[m.type];
      writeU32(out, p, u32('index', m.index));
      writeU32(out, p + 4, u32('begin', m.begin));
      writeU32(out, p + 8, u32('length', m.length));
      break;
    case 'piece':
      out[o + 4] = MSG_ID.piece;
      writeU32(out, p, u32('index', m.index));
      writeU32(out, p + 4, u32('begin', m.begin));
      out.set(m.block, p + 8);
      break;
    case 'port':
      out[o + 4] = MSG_ID.port;
      if (!Number.isInteger(m.port) || m.port < 0 || m.port > 0xffff) throw new ProtocolError(`cannot encode port ${m.port}`, { port: m.port });
      writeU16(out, p, m.port);
      break;
    case 'extended':
      out[o + 4] = MSG_ID.extended;
      out[p] = u8('extended id', m.id);
      out.set(m.payload, p + 1);
      break;
    case 'unknown':
      // Encoding a known id as 'unknown' would decode as a different message type; refuse,
      // so that decode(encode(m)) = m holds for every encodable message.
      if (KNOWN_IDS.has(m.id)) throw new ProtocolError(`cannot encode id ${m.id} as an unknown message`, { id: m.id });
      out[o + 4] = u8('message id', m.id);
      out.set(m.payload, p);
      break;
  }
  return o + size;
}

function u32(field: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new ProtocolError(`cannot encode ${field} ${v}: not a u32`, { field, value: v });
  return v;
}

function u8(field: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new ProtocolError(`cannot encode ${field} ${v}: not a byte`, { field, value: v });
  return v;
}
