import { ProtocolError } from '../util/errors.js';
import { readU32, readU16 } from '../util/bytes.js';
import { MSG_ID, type Handshake, type PeerMessage } from './types.js';
import { HANDSHAKE_SIZE } from './size.js';
import { checkHandshakePrefix, parseHandshake } from './handshake.js';
import { DEFAULT_WIRE_LIMITS, type WireLimits } from './limits.js';

/** Where the decoder delivers what it decodes, in stream order. */
export interface WireSink {
  handshake(h: Handshake): void;
  message(m: PeerMessage): void;
}

/**
 * Exact total length (id byte + payload) of the fixed-size messages (BEP3-MSG-4/5/8, BEP 5
 * PORT, BEP 6). Anything else on these ids is a framing fault.
 */
const FIXED_LENGTH: Readonly<Record<number, number>> = {
  [MSG_ID.choke]: 1, [MSG_ID.unchoke]: 1, [MSG_ID.interested]: 1, [MSG_ID.not_interested]: 1,
  [MSG_ID.have]: 5, [MSG_ID.request]: 13, [MSG_ID.cancel]: 13, [MSG_ID.port]: 3,
  [MSG_ID.suggest]: 5, [MSG_ID.have_all]: 1, [MSG_ID.have_none]: 1, [MSG_ID.reject]: 13,
  [MSG_ID.allowed_fast]: 5,
};

const NAME_OF_ID: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(MSG_ID).map(([k, v]) => [v, k]),
);

/**
 * Incremental peer-wire decoder: first the 68-byte handshake (BEP3-HS-1), then length-prefixed
 * messages (BEP3-MSG-1). It yields the same messages for any split of the byte stream.
 *
 * Errors: any framing fault throws a ProtocolError out of push() AFTER the messages that
 * preceded it in the stream were delivered; the decoder then stays failed (every later push
 * throws the same error). The host closes the connection with error.message as the reason.
 *
 * Memory: a length prefix is checked against the caps (WireLimits) before anything is
 * allocated; a message that spans chunks is assembled into one buffer of exactly its claimed
 * size, allocated only after that check. `allocatedBytes` exposes the pending buffer.
 *
 * ALIASING RULE: a `piece` message contained in one chunk gets a `block` that is a subarray of
 * that chunk (zero copy). This is safe because the host gives each chunk to push() once and
 * never reuses or mutates it (Node sockets allocate a fresh Buffer for every read). A caller
 * that recycles its buffers must copy before pushing. Bitfield, extended and unknown payloads
 * are copied (they are small and may be retained; aliasing them would pin a 64 KiB chunk).
 */
export class WireDecoder {
  private readonly sink: WireSink;
  private limits: WireLimits;
  /** Largest length prefix any id may carry under the current limits (early rejection). */
  private maxFrame = 0;

  /** Handshake accumulation; null once the handshake is done (or when none is expected). */
  private hs: Uint8Array | null;
  private hsFill = 0;
  /** A message header (u32 length + id) that arrived split across chunks. */
  private readonly hdr = new Uint8Array(5);
  private hdrFill = 0;
  /** A message payload being assembled across chunks. */
  private body: Uint8Array | null = null;
  private bodyFill = 0;
  private bodyId = 0;

  private failure: ProtocolError | null = null;
  private halted = false;

  constructor(sink: WireSink, opts: { expectHandshake?: boolean; limits?: Partial<WireLimits> } = {}) {
    this.sink = sink;
    this.limits = { ...DEFAULT_WIRE_LIMITS };
    this.setLimits(opts.limits ?? {});
    this.hs = opts.expectHandshake === false ? null : new Uint8Array(HANDSHAKE_SIZE);
  }

  /** Tighten or loosen the caps; applies from the next message header on. */
  setLimits(l: Partial<WireLimits>): void {
    for (const [k, v] of Object.entries(l) as [keyof WireLimits, number | undefined][]) {
      if (v === undefined) continue;
      if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`WireDecoder.setLimits: ${k} must be a non-negative integer`);
      this.limits[k] = v;
    }
    const L = this.limits;
    this.maxFrame = 1 + Math.max(L.maxBitfieldBytes, L.maxExtendedBytes, 8 + L.maxBlockBytes, L.maxUnknownBytes, 12);
  }

  getLimits(): Readonly<WireLimits> { return { ...this.limits }; }

  /** Bytes currently held for a partially received message (never more than a cap allows). */
  get allocatedBytes(): number { return this.body ? this.body.length : 0; }

  /** Stop delivering: the rest of the current chunk and every later chunk are ignored. */
  halt(): void { this.halted = true; this.body = null; }

  /** Feed the next chunk of the stream. See the class comment for errors and aliasing. */
  push(chunk: Uint8Array): void {
    if (this.failure) throw this.failure;
    try {
      this.consume(chunk);
    } catch (e) {
      if (e instanceof ProtocolError) {
        this.failure = e;
        this.body = null;
      }
      throw e;
    }
  }

  private consume(c: Uint8Array): void {
    const n = c.length;
    let i = 0;
    while (i < n && !this.halted) {
      if (this.hs) {
        const take = Math.min(HANDSHAKE_SIZE - this.hsFill, n - i);
        this.hs.set(c.subarray(i, i + take), this.hsFill);
        checkHandshakePrefix(this.hs, this.hsFill, this.hsFill + take); // BEP3-HS-1, fail early
        this.hsFill += take;
        i += take;
        if (this.hsFill === HANDSHAKE_SIZE) {
          const h = parseHandshake(this.hs);
          this.hs = null;
          this.sink.handshake(h);
        }
      } else if (this.body) {
        const take = Math.min(this.body.length - this.bodyFill, n - i);
        this.body.set(c.subarray(i, i + take), this.bodyFill);
        this.bodyFill += take;
        i += take;
        if (this.bodyFill === this.body.length) {
          const body = this.body;
          this.body = null;
          this.sink.message(parsePayload(this.bodyId, body, false));
        }
      } else if (this.hdrFill === 0 && n - i >= 4) {
        // Fast path: the header is whole in this chunk; read it in place.
        const len = readU32(c, i);
        if (len === 0) { i += 4; this.sink.message({ type: 'keepalive' }); continue; }
        this.checkLength(len);
        if (n - i < 5) { this.hdr.set(c.subarray(i, i + 4)); this.hdrFill = 4; i += 4; continue; }
        const id = c[i + 4];
        this.checkFrame(len, id);
        i += 5;
        i = this.startPayload(c, i, id, len - 1);
      } else {
        // Slow path: the header straddles chunks. Take the 4 length bytes first (a keep-alive
        // is only 4 bytes), then the id byte.
        const want = this.hdrFill < 4 ? 4 : 5;
        const take = Math.min(want - this.hdrFill, n - i);
        this.hdr.set(c.subarray(i, i + take), this.hdrFill);
        this.hdrFill += take;
        i += take;
        if (this.hdrFill === 4) {
          const len = readU32(this.hdr, 0);
          if (len === 0) { this.hdrFill = 0; this.sink.message({ type: 'keepalive' }); continue; }
          this.checkLength(len);
        } else if (this.hdrFill === 5) {
          const len = readU32(this.hdr, 0);
          const id = this.hdr[4];
          this.hdrFill = 0;
          this.checkFrame(len, id);
          i = this.startPayload(c, i, id, len - 1);
        }
      }
    }
  }

  /** Deliver the payload from `c` if whole (zero copy), else allocate exactly and start assembling. */
  private startPayload(c: Uint8Array, i: number, id: number, payloadLen: number): number {
    if (c.length - i >= payloadLen) {
      this.sink.message(parsePayload(id, c.subarray(i, i + payloadLen), true));
      return i + payloadLen;
    }
    // Safe to allocate: checkFrame has bounded payloadLen by the cap for this id.
    this.body = new Uint8Array(payloadLen);
    this.body.set(c.subarray(i));
    this.bodyFill = c.length - i;
    this.bodyId = id;
    return c.length;
  }

  /** BEP3-MSG-2: reject a length past every cap as soon as the 4 length bytes are in. */
  private checkLength(len: number): void {
    if (len > this.maxFrame) {
      throw new ProtocolError(`message length ${len} exceeds the largest allowed ${this.maxFrame}`, { length: len, cap: this.maxFrame });
    }
  }

  /** Per-id framing rules: exact sizes of fixed messages, caps of variable ones. */
  private checkFrame(len: number, id: number): void {
    const fixed = FIXED_LENGTH[id];
    const name = NAME_OF_ID[id] ?? `id ${id}`;
    if (fixed !== undefined) {
      if (len !== fixed) {
        throw new ProtocolError(`${name} message has length ${len}, must be ${fixed}`, { id, length: len, expected: fixed });
      }
      return;
    }
    const L = this.limits;
    let min = 1;
    let cap: number;
    switch (id) {
      case MSG_ID.bitfield: cap = 1 + L.maxBitfieldBytes; break;
      case MSG_ID.piece: min = 9; cap = 9 + L.maxBlockBytes; break; // BEP3-MSG-10
      case MSG_ID.extended: min = 2; cap = 1 + L.maxExtendedBytes; break; // BEP 10: id byte
      default: cap = 1 + L.maxUnknownBytes;
    }
    if (len < min) throw new ProtocolError(`${name} message has length ${len}, needs at least ${min}`, { id, length: len, min });
    if (len > cap) throw new ProtocolError(`${name} message length ${len} exceeds the cap ${cap}`, { id, length: len, cap });
  }
}

/**
 * Builds the message object for a framed payload whose length checkFrame has accepted.
 * `aliased`: the payload is a view of the caller's chunk (see the aliasing rule).
 */
function parsePayload(id: number, p: Uint8Array, aliased: boolean): PeerMessage {
  switch (id) {
    case MSG_ID.choke: return { type: 'choke' };
    case MSG_ID.unchoke: return { type: 'unchoke' };
    case MSG_ID.interested: return { type: 'interested' };
    case MSG_ID.not_interested: return { type: 'not_interested' };
    case MSG_ID.have_all: return { type: 'have_all' };
    case MSG_ID.have_none: return { type: 'have_none' };
    case MSG_ID.have: return { type: 'have', index: readU32(p, 0) };
    case MSG_ID.suggest: return { type: 'suggest', index: readU32(p, 0) };
    case MSG_ID.allowed_fast: return { type: 'allowed_fast', index: readU32(p, 0) };
    case MSG_ID.bitfield: return { type: 'bitfield', bits: aliased ? copy(p) : p };
    case MSG_ID.request: case MSG_ID.cancel: case MSG_ID.reject:
      return {
        type: id === MSG_ID.request ? 'request' : id === MSG_ID.cancel ? 'cancel' : 'reject',
        index: readU32(p, 0), begin: readU32(p, 4), length: readU32(p, 8),
      };
    case MSG_ID.piece: return { type: 'piece', index: readU32(p, 0), begin: readU32(p, 4), block: p.subarray(8) };
    case MSG_ID.port: return { type: 'port', port: readU16(p, 0) };
    case MSG_ID.extended: return { type: 'extended', id: p[0], payload: aliased ? copy(p.subarray(1)) : p.subarray(1) };
    default: return { type: 'unknown', id, payload: aliased ? copy(p) : p };
  }
}

/**
 * A plain Uint8Array copy. Not p.slice(): on a Node Buffer (what sockets deliver) slice() is a
 * view, not a copy.
 */
function copy(p: Uint8Array): Uint8Array {
  return new Uint8Array(p);
}

/**
 * Decode a whole byte string at once (tests, tools). Returns what was decoded and the error
 * that stopped decoding, if any.
 */
export function decodeAll(
  bytes: Uint8Array,
  opts: { expectHandshake?: boolean; limits?: Partial<WireLimits> } = {},
): { handshake?: Handshake; messages: PeerMessage[]; error?: ProtocolError } {
  const out: { handshake?: Handshake; messages: PeerMessage[]; error?: ProtocolError } = { messages: [] };
  const d = new WireDecoder({ handshake: (h) => { out.handshake = h; }, message: (m) => { out.messages.push(m); } }, opts);
  try { d.push(bytes); } catch (e) {
    if (!(e instanceof ProtocolError)) throw e;
    out.error = e;
  }
  return out;
}
