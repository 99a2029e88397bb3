import test from 'ava';
import fc from 'fast-check';
import { fromHex, readU32 } from '../util/bytes.js';
import { TrackerError } from '../util/errors.js';
import {
  encodeAnnounceRequest, encodeAnnounceResponse, encodeConnectRequest, encodeConnectResponse, encodeErrorResponse,
  encodeScrapeRequest, encodeScrapeResponse, parseClientRequest, parseTrackerReply, type UdpAnnounceFields,
} from './udp-codec.js';

const ann = (over: Partial<UdpAnnounceFields> = {}): UdpAnnounceFields => ({
  connectionId: fromHex('0102030405060708'), txid: 0xcafebabe,
  infoHash: new Uint8Array(20).fill(0xaa), peerId: new Uint8Array(20).fill(0x61),
  downloaded: 2 ** 40 + 5, left: 123456789, uploaded: 0, event: 2, ip: 0, key: 0x12345678, numWant: -1, port: 6881,
  ...over,
});

test('BEP15-CONN-1: connect request is 16 bytes: 0x41727101980, action 0, txid', (t) => {
  const b = encodeConnectRequest(0x01020304);
  t.is(b.length, 16);
  t.deepEqual([...b], [0, 0, 4, 0x17, 0x27, 0x10, 0x19, 0x80, 0, 0, 0, 0, 1, 2, 3, 4]);
  t.deepEqual(parseClientRequest(b), { action: 'connect', txid: 0x01020304 });
});

test('BEP15-CONN-1: a connect without the protocol id is rejected', (t) => {
  const b = encodeConnectRequest(1);
  b[0] = 1;
  t.throws(() => parseClientRequest(b), { instanceOf: TrackerError });
});

test('BEP15-ANN-1 / GEN-1: announce request is 98 bytes, big-endian, num_want signed; round-trips', (t) => {
  const b = encodeAnnounceRequest(ann());
  t.is(b.length, 98);
  t.is(readU32(b, 8), 1);
  t.deepEqual([...b.subarray(92, 96)], [0xff, 0xff, 0xff, 0xff]); // -1
  t.deepEqual([...b.subarray(96, 98)], [0x1a, 0xe1]);
  const p = parseClientRequest(b);
  t.like(p, { action: 'announce', txid: 0xcafebabe, downloaded: 2 ** 40 + 5, left: 123456789, event: 2, numWant: -1, port: 6881, key: 0x12345678 });
});

test('BEP15-GEN-2: requests with trailing bytes (BEP 41 options) still parse; short ones do not', (t) => {
  const b = new Uint8Array(110);
  b.set(encodeAnnounceRequest(ann()));
  t.like(parseClientRequest(b), { action: 'announce', port: 6881 });
  t.throws(() => parseClientRequest(b.subarray(0, 97)), { instanceOf: TrackerError });
  t.throws(() => parseClientRequest(b.subarray(0, 15)), { instanceOf: TrackerError });
});

test('BEP15-SCR-1/2: scrape request and response; order seeders, completed, leechers', (t) => {
  const hashes = [new Uint8Array(20).fill(1), new Uint8Array(20).fill(2)];
  const req = encodeScrapeRequest(new Uint8Array(8), 7, hashes);
  t.is(req.length, 56);
  const p = parseClientRequest(req);
  t.deepEqual(p.action === 'scrape' ? p.infoHashes : [], hashes);
  const resp = encodeScrapeResponse(7, [{ complete: 1, downloaded: 2, incomplete: 3 }, { complete: 4, downloaded: 5, incomplete: 6 }]);
  t.deepEqual([...resp.subarray(8, 20)], [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]);
  t.deepEqual(parseTrackerReply(resp), { action: 'scrape', txid: 7, entries: [{ complete: 1, downloaded: 2, incomplete: 3 }, { complete: 4, downloaded: 5, incomplete: 6 }] });
  t.throws(() => encodeScrapeRequest(new Uint8Array(8), 1, new Array(75).fill(hashes[0])), { instanceOf: TrackerError });
});

test('BEP15-CONN-2/3: connect reply needs 16 bytes', (t) => {
  const r = encodeConnectResponse(9, fromHex('1122334455667788'));
  t.deepEqual(parseTrackerReply(r), { action: 'connect', txid: 9, connectionId: fromHex('1122334455667788') });
  const e = t.throws(() => parseTrackerReply(r.subarray(0, 15)), { instanceOf: TrackerError });
  t.is(e!.context.clause, 'BEP15-CONN-3');
});

test('BEP15-ANN-3/4: announce reply needs 20 bytes (opentracker\'s 8-byte reply is rejected); leechers before seeders', (t) => {
  const r = encodeAnnounceResponse(5, 1800, 10, 20, [{ host: '1.2.3.4', port: 6881 }], 4);
  t.deepEqual([...r.subarray(8, 20)], [0, 0, 7, 8, 0, 0, 0, 10, 0, 0, 0, 20]);
  t.deepEqual(parseTrackerReply(r), { action: 'announce', txid: 5, interval: 1800, leechers: 10, seeders: 20, peers: [{ host: '1.2.3.4', port: 6881 }] });
  const e = t.throws(() => parseTrackerReply(r.subarray(0, 8)), { instanceOf: TrackerError });
  t.is(e!.context.clause, 'BEP15-ANN-4');
});

test('BEP15-V6-1/2: over IPv6 the peers are 18 bytes; the family is that of the packet', (t) => {
  const peers = [{ host: '2001:db8::7', port: 51413 }];
  const r = encodeAnnounceResponse(1, 60, 0, 1, [...peers, { host: '9.9.9.9', port: 1 }], 6);
  t.is(r.length, 20 + 18);
  t.deepEqual(parseTrackerReply(r, 6), { action: 'announce', txid: 1, interval: 60, leechers: 0, seeders: 1, peers });
});

test('BEP15-ERR-1: error reply carries the message; unknown actions are TrackerErrors', (t) => {
  t.deepEqual(parseTrackerReply(encodeErrorResponse(3, 'go away')), { action: 'error', txid: 3, message: 'go away' });
  const r = encodeErrorResponse(3, '');
  r[3] = 9;
  t.throws(() => parseTrackerReply(r), { instanceOf: TrackerError });
});

test('fuzz: random and mutated packets either parse or throw TrackerError, both directions', (t) => {
  const seeds = [
    encodeConnectRequest(1), encodeAnnounceRequest(ann()), encodeScrapeRequest(new Uint8Array(8), 1, [new Uint8Array(20)]),
    encodeConnectResponse(1, new Uint8Array(8)), encodeAnnounceResponse(1, 1, 1, 1, [{ host: '1.1.1.1', port: 1 }], 4),
    encodeScrapeResponse(1, [{ complete: 1, downloaded: 1, incomplete: 1 }]), encodeErrorResponse(1, 'x'),
  ];
  const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.integer({ min: -20, max: 20 }))
    .map(([s, edits, dl]) => {
      const out = new Uint8Array(Math.max(0, s.length + dl));
      out.set(s.subarray(0, Math.min(s.length, out.length)));
      for (const [p, v] of edits) if (out.length) out[p % out.length] = v;
      return out;
    });
  fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated), fc.constantFrom(4 as const, 6 as const), (p, fam) => {
    for (const f of [() => parseClientRequest(p), () => parseTrackerReply(p, fam)]) {
      try { f(); } catch (e) { if (!(e instanceof TrackerError)) throw e; }
    }
  }), { numRuns: 3000 });
  t.pass();
});
