import test from 'ava';
import { validateIncoming, endsBitfieldWindow, type ValidateContext } from './validate.js';
import { MAX_REQUEST, type PeerMessage } from './types.js';
import { ProtocolError } from '../util/errors.js';

// 10 pieces of 32 KiB, the last one 1000 bytes.
const base: ValidateContext = {
  pieceCount: 10,
  pieceLength: (i) => (i === 9 ? 1000 : 32768),
  fast: true,
  seenOtherMessage: false,
};
const ok = (t: import('ava').ExecutionContext, m: PeerMessage, ctx: Partial<ValidateContext> = {}) =>
  t.is(validateIncoming(m, { ...base, ...ctx }), null, m.type);
const bad = (t: import('ava').ExecutionContext, m: PeerMessage, re: RegExp, ctx: Partial<ValidateContext> = {}) => {
  const e = validateIncoming(m, { ...base, ...ctx });
  t.true(e instanceof ProtocolError, `${m.type} should be refused`);
  t.regex(e!.message, re);
};

test('stateless messages are always acceptable; unknown ids are ignored (BEP3-MSG-3)', (t) => {
  for (const type of ['keepalive', 'choke', 'unchoke', 'interested', 'not_interested'] as const) ok(t, { type }, { seenOtherMessage: true });
  ok(t, { type: 'port', port: 6881 });
  ok(t, { type: 'unknown', id: 21, payload: new Uint8Array(3) });
});

test('BEP3-MSG-6: bitfield only as the first message', (t) => {
  ok(t, { type: 'bitfield', bits: new Uint8Array(2) });
  bad(t, { type: 'bitfield', bits: new Uint8Array(2) }, /only allowed as the first message/, { seenOtherMessage: true });
});

test('BEP3-MSG-6: keep-alive, extended handshake, PORT and unknown ids do not close the bitfield window', (t) => {
  t.false(endsBitfieldWindow({ type: 'keepalive' }));
  t.false(endsBitfieldWindow({ type: 'extended', id: 0, payload: new Uint8Array(0) }));
  t.false(endsBitfieldWindow({ type: 'port', port: 1 }));
  t.false(endsBitfieldWindow({ type: 'unknown', id: 30, payload: new Uint8Array(0) }));
  t.true(endsBitfieldWindow({ type: 'have', index: 0 }));
  t.true(endsBitfieldWindow({ type: 'bitfield', bits: new Uint8Array(2) }));
  t.true(endsBitfieldWindow({ type: 'interested' }));
});

test('BEP3-MSG-7: a wrongly sized bitfield or one with spare bits set is refused', (t) => {
  bad(t, { type: 'bitfield', bits: new Uint8Array(1) }, /bitfield is 1 bytes, 10 pieces need 2/);
  bad(t, { type: 'bitfield', bits: new Uint8Array(3) }, /bitfield is 3 bytes/);
  bad(t, { type: 'bitfield', bits: new Uint8Array([0xff, 0xe0]) }, /spare bits set/); // 11 bits set, 10 pieces
  ok(t, { type: 'bitfield', bits: new Uint8Array([0xff, 0xc0]) });
  ok(t, { type: 'bitfield', bits: new Uint8Array([0xff]) }, { pieceCount: 8 });
});

test('BEP3-MSG-7: have out of range is refused', (t) => {
  ok(t, { type: 'have', index: 9 });
  bad(t, { type: 'have', index: 10 }, /have index 10 out of range \(10 pieces\)/);
});

test('BEP3-MSG-9: request/cancel out of range, empty, past the piece end or larger than MAX_REQUEST are refused', (t) => {
  for (const type of ['request', 'cancel'] as const) {
    ok(t, { type, index: 0, begin: 16384, length: 16384 });
    ok(t, { type, index: 9, begin: 0, length: 1000 });
    bad(t, { type, index: 10, begin: 0, length: 16384 }, /index 10 out of range/);
    bad(t, { type, index: 0, begin: 0, length: 0 }, new RegExp(`${type} of length 0`));
    bad(t, { type, index: 9, begin: 0, length: 1001 }, /runs past the end of piece 9 \(1000 bytes\)/);
    bad(t, { type, index: 0, begin: 32768, length: 1 }, /runs past the end of piece 0/);
    bad(t, { type, index: 0, begin: 0xffffffff, length: 16384 }, /runs past the end/);
    bad(t, { type, index: 0, begin: 0, length: MAX_REQUEST + 1 }, /exceeds 131072/, { pieceLength: () => 1 << 20 });
  }
  ok(t, { type: 'request', index: 0, begin: 0, length: MAX_REQUEST }, { pieceLength: () => 1 << 20 });
});

test('BEP3-MSG-10: a piece block must lie inside an existing piece', (t) => {
  ok(t, { type: 'piece', index: 9, begin: 500, block: new Uint8Array(500) });
  bad(t, { type: 'piece', index: 9, begin: 500, block: new Uint8Array(501) }, /block 500\+501 runs past the end of piece 9/);
  bad(t, { type: 'piece', index: 11, begin: 0, block: new Uint8Array(1) }, /piece index 11 out of range/);
  bad(t, { type: 'piece', index: 0, begin: 0, block: new Uint8Array(0) }, /block of length 0/);
});

test('BEP 6: fast messages without the fast bit negotiated are refused', (t) => {
  const noFast = { fast: false };
  bad(t, { type: 'have_all' }, /have_all without the fast extension/, noFast);
  bad(t, { type: 'have_none' }, /have_none without the fast extension/, noFast);
  bad(t, { type: 'suggest', index: 1 }, /suggest without the fast extension/, noFast);
  bad(t, { type: 'allowed_fast', index: 1 }, /allowed_fast without the fast extension/, noFast);
  bad(t, { type: 'reject', index: 1, begin: 0, length: 16384 }, /reject without the fast extension/, noFast);
});

test('BEP 6: have_all/have_none only first; suggest/allowed_fast/reject range-checked', (t) => {
  ok(t, { type: 'have_all' });
  ok(t, { type: 'have_none' });
  bad(t, { type: 'have_all' }, /only allowed as the first message/, { seenOtherMessage: true });
  ok(t, { type: 'suggest', index: 0 });
  bad(t, { type: 'suggest', index: 10 }, /suggest index 10 out of range/);
  bad(t, { type: 'allowed_fast', index: 12 }, /allowed_fast index 12 out of range/);
  ok(t, { type: 'reject', index: 2, begin: 0, length: 16384 });
  bad(t, { type: 'reject', index: 9, begin: 0, length: 16384 }, /reject 0\+16384 runs past the end of piece 9/);
});

test('BEP 10: extended messages are refused only when the extension bit is known to be absent', (t) => {
  const m: PeerMessage = { type: 'extended', id: 0, payload: new Uint8Array(0) };
  ok(t, m);
  ok(t, m, { extension: true });
  bad(t, m, /without the extension bit/, { extension: false });
});

test('reasons carry context for logs', (t) => {
  const e = validateIncoming({ type: 'have', index: 99 }, base)!;
  t.is(e.code, 'EPROTOCOL');
  t.is(e.context.index, 99);
  t.is(e.context.type, 'have');
});
