import test from 'ava';
import fc from 'fast-check';
import { parseMagnet } from './parse.js';
import { formatMagnet } from './format.js';
import { base32Decode, base32Encode } from './base32.js';
import { parseHostPort } from './peer-address.js';
import { MagnetError } from '../util/errors.js';
import { toHex } from '../util/bytes.js';
import type { Magnet } from './types.js';

const HEX = 'c12fe1c06bba254a9dc9f519b335aa7c1367a88a';

function bad(t: import('ava').ExecutionContext, s: string, re: RegExp) {
  const e = t.throws(() => parseMagnet(s), { instanceOf: MagnetError });
  if (e) t.regex(e.message, re);
}

test('BEP9-MAG-1: xt, dn, tr, x.pe are read; values percent-decoded', (t) => {
  const m = parseMagnet(`magnet:?xt=urn:btih:${HEX}&dn=Big+Buck%20Bunny%20%E2%9C%93&tr=udp%3A%2F%2Ftracker.example%3A1337%2Fannounce&tr=http://t2/a?x=1%2B2&x.pe=10.0.0.1:6881`);
  t.is(m.infoHashHex, HEX);
  t.deepEqual(m.infoHash.length, 20);
  t.is(m.name, 'Big Buck Bunny ✓');
  t.deepEqual(m.trackers, ['udp://tracker.example:1337/announce', 'http://t2/a?x=1+2']);
  t.deepEqual(m.peers, [{ host: '10.0.0.1', port: 6881 }]);
  t.is(m.btmh, undefined);
});

test('BEP9-MAG-2: btih as 40 hex (either case) or 32 base32; vector 0xAA×20', (t) => {
  t.is(parseMagnet(`magnet:?xt=urn:btih:${HEX.toUpperCase()}`).infoHashHex, HEX);
  const aa = parseMagnet('magnet:?xt=urn:btih:VKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVK');
  t.deepEqual(aa.infoHash, new Uint8Array(20).fill(0xaa));
  t.is(parseMagnet('magnet:?xt=urn:btih:vkvkvkvkvkvkvkvkvkvkvkvkvkvkvkvk').infoHashHex, 'aa'.repeat(20));
  t.is(base32Encode(new Uint8Array(20).fill(0xaa)), 'VKVKVKVKVKVKVKVKVKVKVKVKVKVKVKVK');
  fc.assert(fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (b) => toHex(base32Decode(base32Encode(b))!) === toHex(b)));
});

test('BEP9-MAG-3: urn:btmh is kept beside btih; btmh alone is refused clearly', (t) => {
  const mh = '1220' + 'ab'.repeat(32);
  const m = parseMagnet(`magnet:?xt=urn:btih:${HEX}&xt=urn:btmh:${mh.toUpperCase()}`);
  t.is(m.btmh, mh);
  t.is(m.infoHashHex, HEX);
  bad(t, `magnet:?xt=urn:btmh:${mh}`, /v2-only magnet/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&xt=urn:btmh:xyz`, /not a hex multihash/);
});

test('BEP9-MAG-4: only xt is required; tr and x.pe repeat; numbered keys and unknown params', (t) => {
  const m = parseMagnet(`magnet:?xt.1=urn:btih:${HEX}&tr.1=a&tr.2=b&tr=c&ws=http://x/&kt=foo&flag&&x.pe=h:1&x.pe=h:2`);
  t.deepEqual(m.trackers, ['a', 'b', 'c']);
  t.deepEqual(m.peers.map((p) => p.port), [1, 2]);
  t.is(m.name, undefined);
  const bare = parseMagnet(`MAGNET:?xt=URN:BTIH:${HEX}`);
  t.deepEqual(bare.trackers, []);
  t.deepEqual(bare.peers, []);
  t.is(parseMagnet(`magnet:?xt=urn:sha1:XYZ&xt=urn:btih:${HEX}`).infoHashHex, HEX, 'other URNs ignored');
});

test('BEP9-MAG-5: x.pe is host:port, ipv4:port or [ipv6]:port', (t) => {
  const m = parseMagnet(`magnet:?xt=urn:btih:${HEX}&x.pe=peer.example:51413&x.pe=127.0.0.1:1&x.pe=%5B::1%5D:6881&x.pe=[2001:db8::2]:65535`);
  t.deepEqual(m.peers, [
    { host: 'peer.example', port: 51413 }, { host: '127.0.0.1', port: 1 }, { host: '::1', port: 6881 }, { host: '2001:db8::2', port: 65535 },
  ]);
  bad(t, `magnet:?xt=urn:btih:${HEX}&x.pe=1.2.3.4`, /x\.pe "1\.2\.3\.4": missing :port/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&x.pe=1.2.3.4:0`, /port 0 is out of range/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&x.pe=1.2.3.4:65536`, /out of range/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&x.pe=1.2.3.4:http`, /not a number/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&x.pe=::1:6881`, /\[brackets\]/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&x.pe=[::1:6881`, /missing \]/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&x.pe=[nothex]:1`, /not an IPv6/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&x.pe=a b:1`, /not a host name/);
});

test('malformed links give a MagnetError with a clear reason', (t) => {
  bad(t, 'http://example/', /not a magnet link/);
  bad(t, 'magnet:?dn=x', /no xt=urn:btih/);
  bad(t, 'magnet:?xt=urn:btih:abc', /3 characters; expected 40 hex or 32 base32/);
  bad(t, `magnet:?xt=urn:btih:${'g'.repeat(40)}`, /not hex/);
  bad(t, `magnet:?xt=urn:btih:${'1'.repeat(32)}`, /not valid base32/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&dn=%E2%9C`, /dn has bad percent-encoding/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&xt=urn:btih:${'0'.repeat(40)}`, /two different/);
  bad(t, `magnet:?xt=urn:btih:${HEX}&tr=${'a'.repeat(70000)}`, /longer than/);
  t.is(parseMagnet(`magnet:?xt=urn:btih:${HEX}&xt=urn:btih:${HEX.toUpperCase()}`).infoHashHex, HEX, 'the same hash twice is fine');
});

test('parseHostPort is usable on its own', (t) => {
  t.deepEqual(parseHostPort('[fe80::1]:80'), { host: 'fe80::1', port: 80 });
  t.is(typeof parseHostPort('x'), 'string');
});

const magnetArb: fc.Arbitrary<Magnet> = fc.record({
  infoHash: fc.uint8Array({ minLength: 20, maxLength: 20 }),
  name: fc.option(fc.string({ unit: 'grapheme', maxLength: 20 }), { nil: undefined }),
  trackers: fc.array(fc.oneof(fc.webUrl(), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 })), { maxLength: 3 }),
  peers: fc.array(fc.oneof(
    fc.record({ host: fc.ipV4(), port: fc.integer({ min: 1, max: 65535 }) }),
    fc.record({ host: fc.ipV6(), port: fc.integer({ min: 1, max: 65535 }) }),
    fc.record({ host: fc.domain(), port: fc.integer({ min: 1, max: 65535 }) }),
  ), { maxLength: 3 }),
  btmh: fc.option(fc.uint8Array({ minLength: 34, maxLength: 34 }).map((b) => '1220' + toHex(b).slice(4)), { nil: undefined }),
}).map((m) => ({ ...m, infoHashHex: toHex(m.infoHash) }));

test('property: parse∘format is the identity on magnets; format∘parse is stable', (t) => {
  fc.assert(fc.property(magnetArb, (m) => {
    const s = formatMagnet(m);
    const back = parseMagnet(s);
    t.deepEqual(back, m);
    t.is(formatMagnet(back), s);
  }), { numRuns: 1000 });
  t.pass();
});

test('fuzz: random strings and mutated links never throw anything but MagnetError', (t) => {
  const base = formatMagnet({ infoHash: new Uint8Array(20).fill(1), name: 'n', trackers: ['http://t/a'], peers: [{ host: '::1', port: 1 }] });
  const mutated = fc.tuple(fc.nat(base.length), fc.nat(base.length), fc.string({ unit: 'binary', maxLength: 8 }))
    .map(([a, b, ins]) => base.slice(0, Math.min(a, b)) + ins + base.slice(Math.max(a, b)));
  const prefixed = fc.string({ unit: 'binary', maxLength: 80 }).map((s) => `magnet:?${s}`);
  const params = fc.array(fc.tuple(fc.constantFrom('xt', 'dn', 'tr', 'x.pe', 'xt.1', 'zz'), fc.constantFrom('urn:btih:', 'urn:btmh:', '', '[', ':', '%', '%ZZ', HEX, 'VKVK', '1:2')), { maxLength: 5 })
    .map((ps) => 'magnet:?' + ps.map(([k, v]) => `${k}=${v}`).join('&'));
  fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary' }), prefixed, mutated, params), (s) => {
    try { parseMagnet(s); } catch (e) { if (!(e instanceof MagnetError)) throw e; }
  }), { numRuns: 3000 });
  t.pass();
});
