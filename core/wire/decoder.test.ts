import test from 'ava';
import fc from 'fast-check';
import { WireDecoder, decodeAll } from './decoder.js';
import { encodeHandshake, makeReserved } from './handshake.js';
import { encodeMessage, encodeMessages, encodePieceHeader } from './encode.js';
import { DEFAULT_WIRE_LIMITS, limitsForPieceCount } from './limits.js';
import { MAX_REQUEST, type Handshake, type PeerMessage } from './types.js';
import { concatBytes, writeU32, toHex } from '../util/bytes.js';
import { ProtocolError } from '../util/errors.js';
import { arbPeerMessage, arbHandshake, splitAt } from './testing/arbitraries.js';

const hs: Handshake = { reserved: makeReserved({ fast: true }), infoHash: new Uint8Array(20).fill(1), peerId: new Uint8Array(20).fill(2) };
const HS = encodeHandshake(hs);

/** Canonical form for comparing messages (Uint8Array views compare by content). */
const canon = (x: unknown): string => JSON.stringify(x, (_k, v) => (v instanceof Uint8Array ? `#${toHex(v)}` : v));

function feed(chunks: Uint8Array[], opts?: ConstructorParameters<typeof WireDecoder>[1]) {
  const got: { handshake?: Handshake; messages: PeerMessage[]; error?: unknown; maxAllocated: number } = { messages: [], maxAllocated: 0 };
  const d = new WireDecoder({ handshake: (h) => { got.handshake = h; }, message: (m) => { got.messages.push(m); } }, opts);
  try {
    for (const c of chunks) { d.push(c); got.maxAllocated = Math.max(got.maxAllocated, d.allocatedBytes); }
  } catch (e) { got.error = e; }
  return got;
}

const header = (len: number, id?: number) => {
  const b = new Uint8Array(id === undefined ? 4 : 5);
  writeU32(b, 0, len);
  if (id !== undefined) b[4] = id;
  return b;
};

test('BEP3-MSG-1: every message round-trips through encode and decode', (t) => {
  fc.assert(fc.property(arbHandshake, fc.array(arbPeerMessage(), { maxLength: 30 }), (h, ms) => {
    const r = decodeAll(concatBytes([encodeHandshake(h), encodeMessages(ms)]));
    return r.error === undefined && canon(r.handshake) === canon(h) && canon(r.messages) === canon(ms);
  }), { numRuns: 500 });
  t.pass();
});

test('BEP3-MSG-1: any split of the byte stream yields the same messages', (t) => {
  fc.assert(fc.property(
    fc.array(arbPeerMessage({ maxBlock: 3000 }), { maxLength: 20 }),
    fc.array(fc.nat(), { maxLength: 40 }),
    (ms, cutsRaw) => {
      const bytes = concatBytes([HS, encodeMessages(ms)]);
      const cuts = cutsRaw.map((c) => c % (bytes.length + 1));
      const whole = feed([bytes]);
      const split = feed(splitAt(bytes, cuts));
      return whole.error === undefined && split.error === undefined
        && canon(split.messages) === canon(ms) && canon(whole.messages) === canon(ms);
    },
  ), { numRuns: 500 });
  t.pass();
});

test('BEP3-MSG-1: byte-at-a-time delivery decodes every message type', (t) => {
  const ms: PeerMessage[] = [
    { type: 'keepalive' }, { type: 'choke' }, { type: 'unchoke' }, { type: 'interested' }, { type: 'not_interested' },
    { type: 'have', index: 3 }, { type: 'bitfield', bits: new Uint8Array([0xf0]) },
    { type: 'request', index: 1, begin: 0, length: 16384 }, { type: 'piece', index: 1, begin: 0, block: new Uint8Array([9, 8, 7]) },
    { type: 'cancel', index: 1, begin: 0, length: 16384 }, { type: 'port', port: 6881 }, { type: 'suggest', index: 2 },
    { type: 'have_all' }, { type: 'have_none' }, { type: 'reject', index: 1, begin: 0, length: 16384 },
    { type: 'allowed_fast', index: 4 }, { type: 'extended', id: 0, payload: new Uint8Array([0x64, 0x65]) },
    { type: 'unknown', id: 99, payload: new Uint8Array([1, 2]) }, { type: 'keepalive' },
  ];
  const bytes = concatBytes([HS, encodeMessages(ms)]);
  const got = feed([...bytes].map((b) => new Uint8Array([b])));
  t.is(got.error, undefined);
  t.is(canon(got.handshake), canon(hs));
  t.is(canon(got.messages), canon(ms));
});

test('zero copy: a piece inside one chunk aliases the chunk; one spanning chunks gets its own exact buffer', (t) => {
  const block = new Uint8Array(1000).fill(7);
  const msg = concatBytes([encodePieceHeader(5, 0, block.length), block]);
  const chunk = concatBytes([HS, msg]);
  const one = feed([chunk]);
  const m = one.messages[0] as Extract<PeerMessage, { type: 'piece' }>;
  t.is(m.block.buffer, chunk.buffer);
  t.is(m.block.byteOffset, chunk.byteOffset + 68 + 13);
  t.is(m.block.length, 1000);

  const spanned = feed([chunk.subarray(0, 500), chunk.subarray(500)]);
  const s = spanned.messages[0] as Extract<PeerMessage, { type: 'piece' }>;
  t.not(s.block.buffer, chunk.buffer);
  t.is(s.block.buffer.byteLength, 1008); // exactly the claimed payload (index+begin+block)
  t.is(spanned.maxAllocated, 1008);
  t.deepEqual([...s.block], [...block]);
});

test('bitfield and extended payloads are copies, never views of the chunk', (t) => {
  const chunk = concatBytes([HS, encodeMessages([{ type: 'bitfield', bits: new Uint8Array([1, 2]) }, { type: 'extended', id: 3, payload: new Uint8Array([4]) }])]);
  const got = feed([chunk]);
  for (const m of got.messages) {
    const p = m.type === 'bitfield' ? m.bits : m.type === 'extended' ? m.payload : undefined;
    t.not(p?.buffer, chunk.buffer);
  }
});

test('BEP3-MSG-2: a 2^31 length prefix is refused with the length named, before anything is allocated', (t) => {
  const got = feed([HS, header(2 ** 31)]);
  t.true(got.error instanceof ProtocolError);
  t.regex((got.error as Error).message, /2147483648/);
  t.is(got.maxAllocated, 0);
  // Even with the id byte and part of a payload behind it.
  const got2 = feed([concatBytes([HS, header(0xffffffff, 7), new Uint8Array(100)])]);
  t.true(got2.error instanceof ProtocolError);
  t.is(got2.maxAllocated, 0);
});

test('BEP3-MSG-2: a piece is capped at MAX_REQUEST of block; exactly the cap is accepted', (t) => {
  const ok = feed([HS, header(9 + MAX_REQUEST, 7), new Uint8Array(8)]);
  t.is(ok.error, undefined);
  t.is(ok.maxAllocated, 8 + MAX_REQUEST);
  const bad = feed([HS, header(10 + MAX_REQUEST, 7)]);
  t.true(bad.error instanceof ProtocolError);
  t.regex((bad.error as Error).message, /piece message length 131082 exceeds the cap 131081/);
  t.is(bad.maxAllocated, 0);
});

test('BEP3-MSG-7/BEP3-MSG-2: setLimits caps the bitfield at the torrent size', (t) => {
  const d = new WireDecoder({ handshake() {}, message() {} });
  d.push(HS);
  d.setLimits(limitsForPieceCount(100)); // 13 bytes
  t.is(d.getLimits().maxBitfieldBytes, 13);
  t.throws(() => d.push(header(15, 5)), { instanceOf: ProtocolError, message: /bitfield message length 15 exceeds the cap 14/ });
  t.is(d.allocatedBytes, 0);
  // Failure is sticky: the stream is unusable after a framing fault.
  t.throws(() => d.push(encodeMessage({ type: 'choke' })), { instanceOf: ProtocolError });
});

test('BEP 10: extended and unknown payloads are capped by their limits', (t) => {
  const ext = feed([HS, header(2 + 100, 20)], { limits: { maxExtendedBytes: 100 } });
  t.regex((ext.error as Error).message, /extended message length 102 exceeds the cap 101/);
  const unk = feed([HS, header(2 + DEFAULT_WIRE_LIMITS.maxUnknownBytes, 99)]);
  t.regex((unk.error as Error).message, /id 99 message length/);
  t.is(unk.maxAllocated, 0);
  const empty = feed([HS, header(1, 20)]);
  t.regex((empty.error as Error).message, /extended message has length 1, needs at least 2/);
});

test('BEP3-MSG-4/5/8: fixed-size messages with the wrong length are framing faults', (t) => {
  const cases: [number, number, RegExp][] = [
    [2, 0, /choke message has length 2, must be 1/],
    [4, 4, /have message has length 4, must be 5/],
    [14, 6, /request message has length 14, must be 13/],
    [12, 8, /cancel message has length 12/],
    [2, 9, /port message has length 2, must be 3/],
    [2, 14, /have_all message has length 2/],
    [6, 17, /allowed_fast message has length 6/],
    [8, 7, /piece message has length 8, needs at least 9/],
  ];
  for (const [len, id, re] of cases) {
    const got = feed([HS, header(len, id), new Uint8Array(len)]);
    t.true(got.error instanceof ProtocolError, `id ${id}`);
    t.regex((got.error as Error).message, re);
  }
});

test('messages before a framing fault are delivered first, then the error', (t) => {
  const got = feed([concatBytes([HS, encodeMessage({ type: 'interested' }), header(3, 0)])]);
  t.deepEqual(got.messages, [{ type: 'interested' }]);
  t.true(got.error instanceof ProtocolError);
});

test('halt() stops delivery at once, even in the middle of a chunk', (t) => {
  const seen: PeerMessage[] = [];
  const d = new WireDecoder({ handshake() {}, message: (m) => { seen.push(m); d.halt(); } });
  d.push(concatBytes([HS, encodeMessages([{ type: 'choke' }, { type: 'unchoke' }])]));
  d.push(encodeMessage({ type: 'interested' }));
  t.deepEqual(seen, [{ type: 'choke' }]);
});

test('expectHandshake: false decodes messages from the first byte', (t) => {
  const r = decodeAll(encodeMessage({ type: 'have', index: 9 }), { expectHandshake: false });
  t.deepEqual(r.messages, [{ type: 'have', index: 9 }]);
  t.is(r.handshake, undefined);
});

test('fuzz BEP3-MSG-2: arbitrary bytes after a valid handshake throw only ProtocolError and never allocate past the cap', (t) => {
  const limits = { maxBitfieldBytes: 64, maxExtendedBytes: 512 };
  // The largest payload any id may claim under these limits.
  const cap = Math.max(8 + DEFAULT_WIRE_LIMITS.maxBlockBytes, DEFAULT_WIRE_LIMITS.maxUnknownBytes, limits.maxBitfieldBytes, limits.maxExtendedBytes);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(), { maxLength: 8 }), (junk, cuts) => {
    const d = new WireDecoder({ handshake() {}, message() {} }, { limits });
    d.push(HS);
    for (const c of splitAt(junk, cuts.map((x) => x % (junk.length + 1)))) {
      try { d.push(c); } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        return d.allocatedBytes === 0;
      }
      if (d.allocatedBytes > cap) return false;
    }
    return true;
  }), { numRuns: 3000 });
  t.pass();
});

test('fuzz BEP3-HS-1: arbitrary bytes from the start throw only ProtocolError', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (junk) => {
    const r = decodeAll(junk);
    return r.error === undefined || r.error instanceof ProtocolError;
  }), { numRuns: 1000 });
  // And a valid prefix followed by noise (so the fuzzer gets past the protocol string).
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (junk) => {
    const r = decodeAll(concatBytes([HS.subarray(0, 20), junk]));
    return r.error === undefined || r.error instanceof ProtocolError;
  }), { numRuns: 1000 });
  t.pass();
});

test('fuzz: length prefixes biased to the caps never allocate more than the cap for their id', (t) => {
  const nearCap = fc.oneof(
    fc.integer({ min: 0, max: 20 }),
    fc.integer({ min: 9 + MAX_REQUEST - 3, max: 9 + MAX_REQUEST + 3 }),
    fc.integer({ min: 0, max: 0xffffffff }),
  );
  fc.assert(fc.property(nearCap, fc.constantFrom(5, 7, 20, 99), (len, id) => {
    const d = new WireDecoder({ handshake() {}, message() {} }, { limits: { maxBitfieldBytes: 10, maxExtendedBytes: 10, maxUnknownBytes: 10 } });
    d.push(HS);
    try { d.push(header(len, id)); d.push(new Uint8Array(1)); } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      return d.allocatedBytes === 0;
    }
    const cap = id === 7 ? 8 + MAX_REQUEST : 10;
    return d.allocatedBytes <= cap;
  }), { numRuns: 1000 });
  t.pass();
});

test('copies are real copies even when the host pushes Node Buffers (Buffer#slice is a view)', (t) => {
  const chunk = Buffer.from(concatBytes([HS, encodeMessages([
    { type: 'bitfield', bits: new Uint8Array([1, 2]) },
    { type: 'extended', id: 3, payload: new Uint8Array([4]) },
    { type: 'unknown', id: 99, payload: new Uint8Array([5]) },
  ])]));
  const got = feed([chunk]);
  chunk.fill(0xee); // the host would never do this; a copy must not care
  t.is(canon(got.messages.map((m) => ('bits' in m ? m.bits : 'payload' in m ? m.payload : null))), canon([new Uint8Array([1, 2]), new Uint8Array([4]), new Uint8Array([5])]));
  t.is(canon(got.handshake), canon(hs));
});
