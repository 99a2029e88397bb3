import { decode, encode, isBytes, isDict, type BDict, type BValue } from '../bencode/index.js';
import { fromUtf8 } from '../util/bytes.js';
import { BencodeError, ProtocolError } from '../util/errors.js';

/**
 * The BEP 10 extension handshake (extended message id 0, BEP10-MSG-2): a bencoded dict whose
 * every key is optional (BEP10-HS-1). Decoding is lenient about VALUES on purpose: a field of
 * the wrong type or out of range is dropped rather than failing the connection, since the
 * handshake is advisory and real clients differ (e.g. `v` in Latin-1, `reqq` missing). Only a
 * payload that is not a bencoded dict at all is a ProtocolError.
 */
export interface ExtHandshake {
  /** Extension name → the id the SENDER wants to receive it under; 0 = disabled (HS-2, HS-3). */
  m: Record<string, number>;
  /** The sender's TCP listen port. */
  p?: number;
  /** Client name and version. */
  v?: string;
  /** How many outstanding requests the sender accepts. */
  reqq?: number;
  /** Our address as the sender sees it: 4 (IPv4) or 16 (IPv6) bytes. */
  yourip?: Uint8Array;
  ipv4?: Uint8Array;
  ipv6?: Uint8Array;
  /** BEP9-HS-2: size of the info dict, when the sender has it. */
  metadataSize?: number;
  /** The whole decoded dict; unknown keys are kept here and otherwise ignored (HS-1). */
  raw: BDict;
}

/** Most ids a sender may declare: ids are one byte on the wire (BEP10-MSG-1). */
const MAX_EXT_ID = 255;

export function decodeExtHandshake(payload: Uint8Array): ExtHandshake {
  let v: BValue;
  try { v = decode(payload, { strict: false, maxDepth: 16 }); }
  catch (e) {
    if (e instanceof BencodeError) throw new ProtocolError(`extension handshake is not bencode: ${e.message}`, { offset: e.offset });
    throw e;
  }
  if (!isDict(v)) throw new ProtocolError('extension handshake is not a dictionary');
  const h: ExtHandshake = { m: {}, raw: v };
  if (isDict(v.m)) {
    for (const [name, id] of Object.entries(v.m)) {
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= MAX_EXT_ID) h.m[name] = id;
    }
  }
  const int = (x: BValue | undefined, min: number, max: number) => (typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max ? x : undefined);
  const p = int(v.p, 1, 65535); if (p !== undefined) h.p = p;
  if (isBytes(v.v)) h.v = fromUtf8(v.v);
  const reqq = int(v.reqq, 1, Number.MAX_SAFE_INTEGER); if (reqq !== undefined) h.reqq = reqq;
  if (isBytes(v.yourip) && (v.yourip.length === 4 || v.yourip.length === 16)) h.yourip = v.yourip;
  if (isBytes(v.ipv4) && v.ipv4.length === 4) h.ipv4 = v.ipv4;
  if (isBytes(v.ipv6) && v.ipv6.length === 16) h.ipv6 = v.ipv6;
  const ms = int(v.metadata_size, 0, Number.MAX_SAFE_INTEGER); if (ms !== undefined) h.metadataSize = ms;
  return h;
}

export type ExtHandshakeInit = Omit<ExtHandshake, 'raw'> & { /** Extra top-level keys (plugins). */ extra?: BDict };

export function encodeExtHandshake(h: ExtHandshakeInit): Uint8Array {
  const d: Record<string, unknown> = { ...(h.extra ?? {}) };
  d.m = { ...h.m };
  if (h.p !== undefined) d.p = h.p;
  if (h.v !== undefined) d.v = h.v;
  if (h.reqq !== undefined) d.reqq = h.reqq;
  if (h.yourip) d.yourip = h.yourip;
  if (h.ipv4) d.ipv4 = h.ipv4;
  if (h.ipv6) d.ipv6 = h.ipv6;
  if (h.metadataSize !== undefined) d.metadata_size = h.metadataSize;
  return encode(d as Parameters<typeof encode>[0]);
}
