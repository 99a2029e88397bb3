import test from 'ava';
import fc from 'fast-check';
import { encode } from '../bencode/index.js';
import { fromUtf8, utf8 } from '../util/bytes.js';
import { KrpcError } from '../util/errors.js';
import { decodeKrpc, encodeKrpc, krpcErrorTid, parseQuery, parseReply, queryArgs, type DhtQuery, type KrpcQuery } from './krpc.js';

const b = (s: string) => utf8(s);
const str = (u: Uint8Array) => fromUtf8(u);

// Spec vectors (CONFORMANCE.md "Spec test vectors", BEP 5 examples).
const PING_Q = 'd1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe';
const PING_R = 'd1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re';
const ERR = 'd1:eli201e23:A Generic Error Ocurrede1:t2:aa1:y1:ee';
const ANNOUNCE = 'd1:ad2:id20:abcdefghij012345678912:implied_porti1e9:info_hash20:mnopqrstuvwxyz1234564:porti6881e5:token8:aoeusnthe1:q13:announce_peer1:t2:aa1:y1:qe';

test('BEP5-Q-2 BEP5-KRPC-5: ping query spec vector decodes and re-encodes byte for byte', (t) => {
  const m = decodeKrpc(b(PING_Q));
  t.is(m.y, 'q');
  if (m.y !== 'q') return;
  t.is(m.q, 'ping');
  t.is(str(m.t), 'aa');
  t.is(m.v, undefined); // KRPC-4: no `v`, still fine
  const q = parseQuery(m);
  t.deepEqual(q, { method: 'ping', id: b('abcdefghij0123456789') });
  t.is(str(encodeKrpc({ t: b('aa'), y: 'q', q: 'ping', a: queryArgs(q) })), PING_Q);
});

test('BEP5-Q-2 BEP5-KRPC-6: ping response spec vector', (t) => {
  const m = decodeKrpc(b(PING_R));
  t.is(m.y, 'r');
  if (m.y !== 'r') return;
  t.deepEqual(parseReply(m.r).id, b('mnopqrstuvwxyz123456'));
  t.is(str(encodeKrpc(m)), PING_R);
});

test('BEP5-KRPC-7 BEP5-KRPC-8: generic error spec vector', (t) => {
  const m = decodeKrpc(b(ERR));
  t.deepEqual(m.y === 'e' ? [m.code, m.message] : null, [201, 'A Generic Error Ocurred']);
  t.is(str(encodeKrpc(m)), ERR);
});

test('BEP5-Q-5 BEP5-Q-7: announce_peer spec vector with implied_port', (t) => {
  const m = decodeKrpc(b(ANNOUNCE)) as KrpcQuery;
  const q = parseQuery(m);
  t.deepEqual(q, {
    method: 'announce_peer', id: b('abcdefghij0123456789'), infoHash: b('mnopqrstuvwxyz123456'),
    port: 6881, token: b('aoeusnth'), impliedPort: true,
  });
  t.is(str(encodeKrpc({ t: m.t, y: 'q', q: m.q, a: queryArgs(q) })), ANNOUNCE);
});

test('BEP5-Q-7: implied_port set lets `port` be absent; without it the port is required (203)', (t) => {
  const base = { id: b('abcdefghij0123456789'), info_hash: b('mnopqrstuvwxyz123456'), token: b('x') };
  const q1 = parseQuery({ t: b('aa'), y: 'q', q: 'announce_peer', a: { ...base, implied_port: 1 } });
  t.true(q1.method === 'announce_peer' && q1.impliedPort && q1.port === 0);
  const e = t.throws(() => parseQuery({ t: b('aa'), y: 'q', q: 'announce_peer', a: { ...base } }), { instanceOf: KrpcError });
  t.is(e?.krpcCode, 203);
});

test('BEP5-KRPC-8: unknown method is 204, bad arguments are 203, both carry the transaction id', (t) => {
  const e1 = t.throws(() => parseQuery({ t: b('xy'), y: 'q', q: 'vote', a: { id: b('abcdefghij0123456789') } }), { instanceOf: KrpcError });
  t.is(e1?.krpcCode, 204);
  t.is(str(krpcErrorTid(e1!)!), 'xy');
  const e2 = t.throws(() => parseQuery({ t: b('xy'), y: 'q', q: 'find_node', a: { id: b('short'), target: b('abcdefghij0123456789') } }), { instanceOf: KrpcError });
  t.is(e2?.krpcCode, 203);
});

test('BEP5-KRPC-3: envelope errors are 203, with the tid when it was readable', (t) => {
  const cases: Array<[string, boolean]> = [
    ['i1e', false], ['de', false], ['d1:t2:aae', true], ['d1:t2:aa1:y1:xe', true], ['d1:t2:aa1:y1:qe', true],
    ['d1:t2:aa1:y1:re', true], ['d1:eli201ee1:t2:aa1:y1:qe', true], ['garbage', false],
  ];
  for (const [s, hasTid] of cases) {
    const e = t.throws(() => decodeKrpc(b(s)), { instanceOf: KrpcError }, s);
    t.is(e?.krpcCode, 203, s);
    t.is(krpcErrorTid(e!) !== undefined, hasTid, s);
  }
});

test('BEP5-ENC-2: a reply whose `nodes` is not 26·n bytes is malformed (203)', (t) => {
  const r = { id: b('mnopqrstuvwxyz123456'), nodes: new Uint8Array(27) };
  const e = t.throws(() => parseReply(r), { instanceOf: KrpcError });
  t.is(e?.krpcCode, 203);
  const ok = parseReply({ id: r.id, nodes: new Uint8Array(52), values: [new Uint8Array([127, 0, 0, 1, 0x1a, 0xe1]), new Uint8Array(18)], token: b('tok') });
  t.is(ok.nodes.length, 2);
  t.deepEqual(ok.values, [{ host: '127.0.0.1', port: 6881 }]); // the 18-byte (IPv6) value is skipped
  t.deepEqual(ok.token, b('tok'));
});

test('BEP5-KRPC-4: `v` is optional and kept when present; odd types do not fail', (t) => {
  const m = decodeKrpc(b('d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:v4:LT011:y1:re'));
  t.is(str(m.v!), 'LT01');
  const n = decodeKrpc(b('d1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:vi5e1:y1:re'));
  t.is(n.v, undefined);
});

// ----------------------------------------------------------------------------------- fuzzing

const isOnlyKrpcError = (buf: Uint8Array): boolean => {
  try {
    const m = decodeKrpc(buf);
    if (m.y === 'q') { try { parseQuery(m); } catch (e) { if (!(e instanceof KrpcError)) return false; } }
    if (m.y === 'r') { try { parseReply(m.r); } catch (e) { if (!(e instanceof KrpcError)) return false; } }
    return true;
  } catch (e) {
    return e instanceof KrpcError;
  }
};

test('fuzz BEP5-KRPC-1: arbitrary bytes parse or throw KrpcError, never anything else', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (buf) => isOnlyKrpcError(buf)), { numRuns: 3000 });
  t.pass();
});

test('fuzz BEP5-KRPC-1: mutated valid messages parse or throw KrpcError', (t) => {
  const seeds = [PING_Q, PING_R, ERR, ANNOUNCE].map(b);
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 3 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
    (which, edits) => {
      const buf = seeds[which].slice();
      for (const [pos, val] of edits) buf[pos % buf.length] = val;
      return isOnlyKrpcError(buf);
    }), { numRuns: 3000 });
  t.pass();
});

test('fuzz: random bencoded dicts with KRPC-ish keys parse or throw KrpcError', (t) => {
  const val = fc.letrec((tie) => ({
    v: fc.oneof({ depthSize: 'small' }, fc.integer(), fc.uint8Array({ maxLength: 30 }), fc.constantFrom(b('q'), b('r'), b('e'), b('ping'), b('get_peers'), b('announce_peer')),
      fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('id', 'a', 'r', 'e', 't', 'y', 'q', 'nodes', 'values', 'token', 'port', 'info_hash', 'target', 'implied_port'), tie('v'), { maxKeys: 5 })),
  })).v;
  fc.assert(fc.property(fc.dictionary(fc.constantFrom('t', 'y', 'q', 'a', 'r', 'e', 'v', 'ro', 'ip'), val, { maxKeys: 6 }), (d) => {
    return isOnlyKrpcError(encode(d as Parameters<typeof encode>[0]));
  }), { numRuns: 2000 });
  t.pass();
});

test('property: encode → decode → parseQuery round-trips every query shape', (t) => {
  const id = fc.uint8Array({ minLength: 20, maxLength: 20 });
  const query: fc.Arbitrary<DhtQuery> = fc.oneof(
    id.map((i) => ({ method: 'ping' as const, id: i })),
    fc.tuple(id, id).map(([i, x]) => ({ method: 'find_node' as const, id: i, target: x })),
    fc.tuple(id, id).map(([i, x]) => ({ method: 'get_peers' as const, id: i, infoHash: x })),
    fc.tuple(id, id, fc.integer({ min: 1, max: 65535 }), fc.uint8Array({ minLength: 1, maxLength: 20 }), fc.boolean())
      .map(([i, x, port, token, impliedPort]) => ({ method: 'announce_peer' as const, id: i, infoHash: x, port, token, impliedPort })),
  );
  fc.assert(fc.property(query, fc.uint8Array({ minLength: 1, maxLength: 4 }), (q, tid) => {
    const m = decodeKrpc(encodeKrpc({ t: tid, y: 'q', q: q.method, a: queryArgs(q) })) as KrpcQuery;
    t.deepEqual(parseQuery(m), q);
    t.deepEqual(m.t, tid);
  }), { numRuns: 500 });
});
