import test from 'ava';
import fc from 'fast-check';
import { TrackerError } from '../util/errors.js';
import { decodeCompactPeers, encodeCompactPeers } from './compact-peers.js';
import { formatIpv6, parseIpv4, parseIpv6, unmapIpv4 } from './ip.js';

test('BEP23-4: 6-byte compact peers decode to ip:port', (t) => {
  const b = new Uint8Array([127, 0, 0, 1, 0x1a, 0xe1, 10, 1, 2, 3, 0, 80]);
  t.deepEqual(decodeCompactPeers(b, 4, true), [{ host: '127.0.0.1', port: 6881 }, { host: '10.1.2.3', port: 80 }]);
});

test('BEP23-4: a length that is not a multiple of 6 is a TrackerError when strict, truncated otherwise', (t) => {
  const b = new Uint8Array(13);
  b.set([1, 2, 3, 4, 0, 1, 5, 6, 7, 8, 0, 2]);
  const e = t.throws(() => decodeCompactPeers(b, 4, true), { instanceOf: TrackerError });
  t.is(e?.context.clause, 'BEP23-4');
  t.is(decodeCompactPeers(b, 4, false).length, 2);
});

test('BEP23-5: 18-byte IPv6 peers round-trip', (t) => {
  const peers = [{ host: '2001:db8::1', port: 6881 }, { host: '::1', port: 1 }, { host: 'fe80::a:b:c:d', port: 65535 }];
  const b = encodeCompactPeers(peers, 6);
  t.is(b.length, 54);
  t.deepEqual(decodeCompactPeers(b, 6, true), peers);
});

test('encodeCompactPeers skips the other family and host names', (t) => {
  const b = encodeCompactPeers([{ host: '1.2.3.4', port: 5 }, { host: '::1', port: 6 }, { host: 'tracker.example', port: 7 }], 4);
  t.deepEqual([...b], [1, 2, 3, 4, 0, 5]);
});

test('port 0 entries are dropped (undialable)', (t) => {
  t.deepEqual(decodeCompactPeers(new Uint8Array([1, 2, 3, 4, 0, 0]), 4, true), []);
});

test('IP literal parsing is strict and IPv6 text is RFC 5952', (t) => {
  t.deepEqual([...parseIpv4('192.168.0.255')!], [192, 168, 0, 255]);
  for (const bad of ['256.1.1.1', '1.2.3', '01.2.3.4', 'a.b.c.d', '1.2.3.4.5', '']) t.is(parseIpv4(bad), null, bad);
  t.is(formatIpv6(parseIpv6('2001:0db8:0000:0000:0000:0000:0000:0001')!), '2001:db8::1');
  t.is(formatIpv6(parseIpv6('::ffff:1.2.3.4')!), '::ffff:102:304');
  t.is(formatIpv6(parseIpv6('1:0:0:2:0:0:0:3')!), '1:0:0:2::3');
  t.is(formatIpv6(parseIpv6('[::]')!), '::');
  for (const bad of ['1::2::3', ':::', '12345::', '1:2:3:4:5:6:7:8:9', 'tracker.example', '1.2.3.4']) t.is(parseIpv6(bad), null, bad);
  t.is(unmapIpv4('::ffff:10.0.0.1'), '10.0.0.1');
  t.is(unmapIpv4('::1'), '::1');
});

test('fuzz: compact decode never throws anything but TrackerError, and encode(decode(x)) keeps every dialable peer', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(4 as const, 6 as const), (b, fam) => {
    let peers;
    try { peers = decodeCompactPeers(b, fam, true); } catch (e) { if (!(e instanceof TrackerError)) throw e; return; }
    const again = decodeCompactPeers(encodeCompactPeers(peers, fam), fam, true);
    t.deepEqual(again, peers);
  }), { numRuns: 500 });
  t.pass();
});
