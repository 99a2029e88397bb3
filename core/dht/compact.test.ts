import test from 'ava';
import fc from 'fast-check';
import { KrpcError } from '../util/errors.js';
import { decodeCompactPeer, decodeNodes, encodeCompactPeer, encodeNodes, ipv4Bytes } from './compact.js';

test('BEP5-ENC-1: compact peer = 4-byte IPv4 + 2-byte port, network order', (t) => {
  t.deepEqual(encodeCompactPeer({ host: '10.1.2.3', port: 0x1ae1 }), new Uint8Array([10, 1, 2, 3, 0x1a, 0xe1]));
  t.deepEqual(decodeCompactPeer(new Uint8Array([192, 168, 0, 255, 0xff, 0xfe])), { host: '192.168.0.255', port: 65534 });
  t.is(encodeCompactPeer({ host: '::1', port: 1 }), undefined); // IPv6 is BEP 32
  t.is(ipv4Bytes('256.0.0.1'), undefined);
  t.is(ipv4Bytes('1.2.3'), undefined);
});

test('BEP5-ENC-2: compact node info is 26 bytes per node and round-trips', (t) => {
  fc.assert(fc.property(fc.array(fc.record({
    id: fc.uint8Array({ minLength: 20, maxLength: 20 }),
    ip: fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)),
    port: fc.integer({ min: 0, max: 65535 }),
  }), { maxLength: 16 }), (rows) => {
    const nodes = rows.map((r) => ({ id: r.id, addr: { host: r.ip.join('.'), port: r.port } }));
    const enc = encodeNodes(nodes);
    t.is(enc.length, 26 * nodes.length);
    t.deepEqual(decodeNodes(enc), nodes);
  }), { numRuns: 300 });
});

test('BEP5-ENC-2 fuzz: any byte string decodes as nodes or throws KrpcError 203', (t) => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (buf) => {
    try { decodeNodes(buf); return buf.length % 26 === 0; }
    catch (e) { return e instanceof KrpcError && e.krpcCode === 203 && buf.length % 26 !== 0; }
  }), { numRuns: 1000 });
  t.pass();
});
