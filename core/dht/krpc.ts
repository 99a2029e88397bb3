import { decode, encode, isBytes, isDict, isInt, isList, bytesToKey, type BDict, type BValue } from '../bencode/index.js';
import type { Address } from '../seam/net.js';
import { fromUtf8 } from '../util/bytes.js';
import { BencodeError, KrpcError } from '../util/errors.js';
import { decodeCompactPeer, decodeNodes, encodeCompactPeer, type NodeInfo } from './compact.js';
import { isNodeId } from './node-id.js';

/**
 * KRPC (BEP 5): one bencoded dict per UDP datagram (BEP5-KRPC-1). This file is the codec:
 * the envelope (t / y / q+a / r / e, BEP5-KRPC-2..7), the typed arguments of the four BEP 5
 * queries (BEP5-Q-*) and the reply fields a lookup reads. Every parse failure is a KrpcError
 * whose `krpcCode` is what to answer with (203 malformed, 204 unknown method, BEP5-KRPC-8)
 * and whose context carries the transaction id when it was readable, so the node can echo it.
 */

export const KRPC = { GENERIC: 201, SERVER: 202, PROTOCOL: 203, METHOD_UNKNOWN: 204 } as const;

/** Longest transaction id we accept: ours are 2 bytes (KRPC-2), others use up to ~8. */
const MAX_TID_BYTES = 32;

interface Envelope {
  /** Transaction id, echoed in the reply (BEP5-KRPC-2). */
  t: Uint8Array;
  /** Client version (BEP5-KRPC-4): optional, never required. */
  v?: Uint8Array;
}
export interface KrpcQuery extends Envelope { y: 'q'; q: string; a: BDict; /** BEP 43 read-only node. */ ro?: boolean }
export interface KrpcResponse extends Envelope { y: 'r'; r: BDict; /** BEP 42: our address as the responder saw it. */ ip?: Address }
export interface KrpcErrorReply extends Envelope { y: 'e'; code: number; message: string }
export type KrpcMessage = KrpcQuery | KrpcResponse | KrpcErrorReply;

/** The transaction id recorded in a KrpcError raised while decoding (undefined: unreadable). */
export function krpcErrorTid(e: KrpcError): Uint8Array | undefined {
  const t = e.context.t;
  return t instanceof Uint8Array ? t : undefined;
}

/** Decode one datagram. Throws KrpcError (203) for anything that is not a KRPC message. */
export function decodeKrpc(buf: Uint8Array): KrpcMessage {
  let v: BValue;
  try {
    // Lenient about key order (other clients are), strict about structure; shallow depth limit
    // because no KRPC message nests deeper than a few levels.
    v = decode(buf, { strict: false, maxDepth: 16 });
  } catch (e) {
    if (e instanceof BencodeError) throw new KrpcError(KRPC.PROTOCOL, `not bencode: ${e.message}`, { offset: e.offset });
    throw e;
  }
  if (!isDict(v)) throw new KrpcError(KRPC.PROTOCOL, 'message is not a dictionary');
  const t = v.t;
  if (!isBytes(t) || t.length > MAX_TID_BYTES) throw new KrpcError(KRPC.PROTOCOL, 'missing or invalid transaction id "t"');
  const fail = (reason: string): never => { throw new KrpcError(KRPC.PROTOCOL, reason, { t }); };
  const env: Envelope = { t };
  if (isBytes(v.v)) env.v = v.v; // KRPC-4: a missing or odd `v` is not an error
  const y = isBytes(v.y) ? bytesToKey(v.y) : fail('missing "y"');
  switch (y) {
    case 'q': {
      const q = isBytes(v.q) ? bytesToKey(v.q) : fail('query without method "q"');
      const a = isDict(v.a) ? v.a : fail('query without argument dict "a"');
      const msg: KrpcQuery = { ...env, y: 'q', q, a };
      if (v.ro === 1) msg.ro = true;
      return msg;
    }
    case 'r': {
      const r = isDict(v.r) ? v.r : fail('response without dict "r"');
      const msg: KrpcResponse = { ...env, y: 'r', r };
      if (isBytes(v.ip) && v.ip.length === 6) msg.ip = decodeCompactPeer(v.ip);
      return msg;
    }
    case 'e': {
      const e = v.e;
      // BEP5-KRPC-7: e = [code, message]. Be tolerant of a missing message.
      if (!isList(e) || e.length < 1 || typeof e[0] !== 'number') fail('error without [code, message] list "e"');
      const list = e as BValue[];
      return { ...env, y: 'e', code: list[0] as number, message: isBytes(list[1]) ? fromUtf8(list[1]) : '' };
    }
    default:
      return fail(`unknown message type "y" = ${JSON.stringify(y)}`);
  }
}

/** Encode a message (canonical bencode, keys sorted). */
export function encodeKrpc(m: KrpcMessage): Uint8Array {
  const base: Record<string, unknown> = { t: m.t, y: m.y };
  if (m.v) base.v = m.v;
  if (m.y === 'q') { base.q = m.q; base.a = m.a; if (m.ro) base.ro = 1; }
  else if (m.y === 'r') { base.r = m.r; if (m.ip) base.ip = encodeCompactPeer(m.ip); }
  else base.e = [m.code, m.message];
  return encode(base as Parameters<typeof encode>[0]);
}

// ---------------------------------------------------------------------------------------------
// Queries (BEP5-Q-*)

export type DhtQuery =
  | { method: 'ping'; id: Uint8Array }
  | { method: 'find_node'; id: Uint8Array; target: Uint8Array }
  | { method: 'get_peers'; id: Uint8Array; infoHash: Uint8Array }
  | { method: 'announce_peer'; id: Uint8Array; infoHash: Uint8Array; port: number; token: Uint8Array; impliedPort: boolean };

export type DhtMethod = DhtQuery['method'];

/** Typed arguments of a query. 204 for a method we do not know, 203 for bad arguments. */
export function parseQuery(m: KrpcQuery): DhtQuery {
  const a = m.a;
  const fail = (reason: string): never => { throw new KrpcError(KRPC.PROTOCOL, reason, { t: m.t, q: m.q }); };
  const id20 = (key: string): Uint8Array => (isNodeId(a[key]) ? (a[key] as Uint8Array) : fail(`"${key}" must be 20 bytes`));
  switch (m.q) {
    case 'ping': return { method: 'ping', id: id20('id') };
    case 'find_node': return { method: 'find_node', id: id20('id'), target: id20('target') };
    case 'get_peers': return { method: 'get_peers', id: id20('id'), infoHash: id20('info_hash') };
    case 'announce_peer': {
      const id = id20('id');
      const infoHash = id20('info_hash');
      const token = isBytes(a.token) ? a.token : fail('"token" missing');
      // with implied_port set the UDP source port is used, so `port` may be absent.
      const impliedPort = isInt(a.implied_port) && a.implied_port !== 0 && a.implied_port !== 0n;
      const p = a.port;
      let port = 0;
      if (typeof p === 'number' && p >= 1 && p <= 65535) port = p;
      else if (!impliedPort) fail('"port" must be 1..65535');
      return { method: 'announce_peer', id, infoHash, port, token, impliedPort };
    }
    default:
      throw new KrpcError(KRPC.METHOD_UNKNOWN, `method unknown: ${JSON.stringify(m.q.slice(0, 40))}`, { t: m.t, q: m.q });
  }
}

/** Arguments for an outgoing query (our `id` is added by the caller). */
export function queryArgs(q: DhtQuery): BDict {
  switch (q.method) {
    case 'ping': return { id: q.id };
    case 'find_node': return { id: q.id, target: q.target };
    case 'get_peers': return { id: q.id, info_hash: q.infoHash };
    case 'announce_peer': {
      const a: BDict = { id: q.id, info_hash: q.infoHash, port: q.port, token: q.token };
      if (q.impliedPort) a.implied_port = 1;
      return a;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Replies

/** What a lookup reads from a reply: id, nodes, values and token. */
export interface DhtReply {
  id: Uint8Array;
  nodes: NodeInfo[];
  values: Address[];
  token?: Uint8Array;
}

export function parseReply(r: BDict, t?: Uint8Array): DhtReply {
  const fail = (reason: string): never => { throw new KrpcError(KRPC.PROTOCOL, reason, { t }); };
  const id = isNodeId(r.id) ? r.id : fail('reply without a 20-byte "id"');
  let nodes: NodeInfo[] = [];
  if (r.nodes !== undefined) {
    if (!isBytes(r.nodes)) fail('"nodes" is not a byte string');
    try { nodes = decodeNodes(r.nodes as Uint8Array); }
    catch (e) { if (e instanceof KrpcError) fail(e.message); throw e; }
  }
  const values: Address[] = [];
  if (r.values !== undefined) {
    if (!isList(r.values)) fail('"values" is not a list');
    // ENC-1: 6-byte entries. 18-byte (IPv6, BEP 32) and other sizes are skipped, not fatal.
    for (const v of r.values as BValue[]) if (isBytes(v) && v.length === 6) values.push(decodeCompactPeer(v));
  }
  const reply: DhtReply = { id, nodes, values };
  if (isBytes(r.token)) reply.token = r.token;
  return reply;
}
