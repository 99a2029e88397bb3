import test from 'ava';
import fc from 'fast-check';
import { encode } from '../bencode/index.js';
import { ProtocolError } from '../util/errors.js';
import { utf8 } from '../util/bytes.js';
import { decodePexMessage, encodePexMessage, PEX_FLAGS, type PexMessage } from './codec.js';

const b = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

test('BEP 11: added / added.f / dropped decode from a hand-built payload', (t) => {
  const payload = encode({
    added: Uint8Array.of(10, 0, 0, 1, 0x1a, 0xe1, 192, 168, 1, 2, 0, 80),
    'added.f': Uint8Array.of(PEX_FLAGS.seed | PEX_FLAGS.reachable, PEX_FLAGS.encryption),
    dropped: Uint8Array.of(1, 2, 3, 4, 0x1a, 0xe1),
  });
  const m = decodePexMessage(payload);
  t.deepEqual(m.added, [
    { addr: { host: '10.0.0.1', port: 6881 }, flags: 0x12 },
    { addr: { host: '192.168.1.2', port: 80 }, flags: 0x01 },
  ]);
  t.deepEqual(m.dropped, [{ host: '1.2.3.4', port: 6881 }]);
});

test('BEP 11: added6 / added6.f / dropped6 carry 18-byte IPv6 entries', (t) => {
  const m: PexMessage = {
    added: [{ addr: { host: '2001:db8::1', port: 51413 }, flags: PEX_FLAGS.utp }],
    dropped: [{ host: 'fe80::2', port: 1 }],
  };
  const enc = encodePexMessage(m);
  const back = decodePexMessage(enc);
  t.deepEqual(back, m);
  t.true(new TextDecoder('latin1').decode(enc).includes('6:added618:'));
});

test('BEP 11: the encoder always writes all six keys, sorted (canonical bencode)', (t) => {
  const enc = encodePexMessage({ added: [], dropped: [] });
  t.deepEqual(enc, b('d5:added0:7:added.f0:6:added60:8:added6.f0:7:dropped0:8:dropped60:e'));
});

test('BEP 11: missing keys are empty lists; flags of the wrong length are ignored, port 0 skipped', (t) => {
  t.deepEqual(decodePexMessage(b('de')), { added: [], dropped: [] });
  const m = decodePexMessage(encode({ added: Uint8Array.of(1, 1, 1, 1, 0, 9, 2, 2, 2, 2, 0, 0), 'added.f': Uint8Array.of(7) }));
  t.deepEqual(m.added, [{ addr: { host: '1.1.1.1', port: 9 }, flags: 0 }]);
});

test('BEP 11: malformed payloads throw ProtocolError (not a dict, wrong types, bad lengths)', (t) => {
  for (const bad of [b('i3e'), b('le'), b('d5:addedi3ee'), encode({ added: new Uint8Array(7) }), encode({ dropped6: new Uint8Array(17) }), b('d5:added')]) {
    t.throws(() => decodePexMessage(bad), { instanceOf: ProtocolError });
  }
});

test('BEP 11: names and junk hosts are never encoded (only literal addresses are dialable)', (t) => {
  const m = decodePexMessage(encodePexMessage({ added: [{ addr: { host: 'tracker.example', port: 1 }, flags: 0 }, { addr: { host: '1.2.3.4', port: 0 }, flags: 0 }], dropped: [{ host: 'x', port: 2 }] }));
  t.deepEqual(m, { added: [], dropped: [] });
});

test('BEP 11: receiver cap keeps at most maxPeers entries per list', (t) => {
  const many = new Uint8Array(6 * 300);
  for (let i = 0; i < 300; i++) { many[i * 6] = 10; many[i * 6 + 3] = i & 255; many[i * 6 + 5] = 1; }
  t.is(decodePexMessage(encode({ added: many }), { maxPeers: 50 }).added.length, 50);
});

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'));
const addr = fc.record({ host: fc.oneof(ipv4, ipv6), port: fc.integer({ min: 1, max: 65535 }) });

test('BEP 11 property: encode → decode keeps every peer, flag and family', (t) => {
  fc.assert(fc.property(fc.array(fc.record({ addr, flags: fc.nat(255) }), { maxLength: 60 }), fc.array(addr, { maxLength: 60 }), (added, dropped) => {
    const back = decodePexMessage(encodePexMessage({ added, dropped }));
    const norm = (a: { host: string; port: number }) => `${decodePexMessage(encodePexMessage({ added: [], dropped: [a] })).dropped[0].host}|${a.port}`;
    const v4First = <T,>(xs: T[], h: (x: T) => string) => [...xs.filter((x) => !h(x).includes(':')), ...xs.filter((x) => h(x).includes(':'))];
    t.deepEqual(back.added.map((p) => `${p.addr.host}|${p.addr.port}|${p.flags}`), v4First(added, (p) => p.addr.host).map((p) => `${norm(p.addr)}|${p.flags}`));
    t.deepEqual(back.dropped.map((a) => `${a.host}|${a.port}`), v4First(dropped, (a) => a.host).map(norm));
  }), { numRuns: 300 });
});

test('BEP 11 fuzz: arbitrary bytes either decode or throw ProtocolError', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    try { decodePexMessage(bytes); } catch (e) { if (!(e instanceof ProtocolError)) throw e; }
  }), { numRuns: 2000 });
  // Structured fuzz: valid dicts with random values under the PEX keys.
  const val = fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.integer(), fc.constant(utf8('x')));
  fc.assert(fc.property(fc.dictionary(fc.constantFrom('added', 'added.f', 'added6', 'added6.f', 'dropped', 'dropped6', 'other'), val), (d) => {
    try {
      const m = decodePexMessage(encode(d));
      for (const p of m.added) t.true(p.addr.port > 0 && p.flags >= 0 && p.flags <= 255);
    } catch (e) { if (!(e instanceof ProtocolError)) throw e; }
  }), { numRuns: 1000 });
  t.pass();
});
