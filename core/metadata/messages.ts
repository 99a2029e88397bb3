import { decodePrefix, encode, isDict, type BValue } from '../bencode/index.js';
import { concatBytes } from '../util/bytes.js';
import { BencodeError, ProtocolError } from '../util/errors.js';

/**
 * ut_metadata messages (BEP 9), the payload of an extended message whose id the peer assigned
 * to `ut_metadata`. A bencoded dict {msg_type, piece[, total_size]} (BEP9-MSG-1/2); a data
 * message carries the raw piece bytes right after the dict in the same payload (MSG-6), so the
 * dict's end is found with decodePrefix.
 */
export const UT_METADATA = 'ut_metadata';
export const METADATA_PIECE_SIZE = 16384;

export type MetadataMessage =
  | { type: 'request'; piece: number }
  | { type: 'data'; piece: number; totalSize: number; data: Uint8Array }
  | { type: 'reject'; piece: number }
  /** MSG-3: a msg_type we do not know. The caller must ignore it, not disconnect. */
  | { type: 'unknown'; msgType: number };

const MSG_TYPE = { request: 0, data: 1, reject: 2 } as const;

export function encodeMetadataMessage(m: Exclude<MetadataMessage, { type: 'unknown' }>): Uint8Array {
  switch (m.type) {
    case 'request': return encode({ msg_type: MSG_TYPE.request, piece: m.piece }); // MSG-4: nothing else
    case 'reject': return encode({ msg_type: MSG_TYPE.reject, piece: m.piece }); // MSG-7: no extra keys
    case 'data': return concatBytes([encode({ msg_type: MSG_TYPE.data, piece: m.piece, total_size: m.totalSize }), m.data]);
  }
}

export function decodeMetadataMessage(payload: Uint8Array): MetadataMessage {
  let value: BValue, end: number;
  try { ({ value, end } = decodePrefix(payload, { strict: false, maxDepth: 8 })); }
  catch (e) {
    if (e instanceof BencodeError) throw new ProtocolError(`ut_metadata: not bencode: ${e.message}`, { offset: e.offset });
    throw e;
  }
  if (!isDict(value)) throw new ProtocolError('ut_metadata: payload is not a dictionary');
  const msgType = value.msg_type;
  if (typeof msgType !== 'number' || !Number.isInteger(msgType)) throw new ProtocolError('ut_metadata: msg_type missing or not an integer');
  if (msgType !== 0 && msgType !== 1 && msgType !== 2) return { type: 'unknown', msgType }; // MSG-3
  const piece = value.piece;
  if (typeof piece !== 'number' || piece < 0) throw new ProtocolError('ut_metadata: piece missing or negative', { msgType });
  if (msgType === MSG_TYPE.request) return { type: 'request', piece };
  if (msgType === MSG_TYPE.reject) return { type: 'reject', piece };
  const totalSize = value.total_size;
  if (typeof totalSize !== 'number' || totalSize < 0) throw new ProtocolError('ut_metadata: data without total_size', { piece });
  const data = payload.slice(end);
  if (data.length > METADATA_PIECE_SIZE) throw new ProtocolError(`ut_metadata: data piece of ${data.length} bytes exceeds 16384`, { piece });
  return { type: 'data', piece, totalSize, data };
}
