import test from 'ava';
import fc from 'fast-check';
import { encode } from '../bencode/encode.js';
import { toHex, utf8 } from '../util/bytes.js';
import { TrackerError } from '../util/errors.js';
import { DEFAULT_INTERVAL_S, parseAnnounceResponse, parseScrapeResponse } from './http-response.js';

const b = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

test('BEP 7 response vector: peers (6 bytes) and peers6 (18 bytes) both read (BEP23-4, BEP23-5)', (t) => {
  const r = parseAnnounceResponse(b('d8:intervali1800e5:peers6:iiiipp6:peers618:iiiiiiiiiiiiiiiippe'));
  t.is(r.interval, 1800);
  t.deepEqual(r.peers, [
    { host: '105.105.105.105', port: 0x7070 },
    { host: '6969:6969:6969:6969:6969:6969:6969:6969', port: 0x7070 },
  ]);
  t.is(r.tolerated, undefined);
});

test('BEP3-TRK-5: `failure reason` alone means failure → TrackerError with the reason', (t) => {
  const e = t.throws(() => parseAnnounceResponse(encode({ 'failure reason': 'not authorized', interval: 5, peers: new Uint8Array() })), { instanceOf: TrackerError });
  t.regex(e!.message, /not authorized/);
  t.is(e!.context.failure, 'not authorized');
});

test('BEP3-TRK-6: interval, min interval, complete/incomplete, tracker id and warning message are read', (t) => {
  const r = parseAnnounceResponse(encode({
    interval: 900, 'min interval': 60, complete: 3, incomplete: 7, 'tracker id': utf8('T1'),
    'warning message': 'be nice', peers: new Uint8Array([1, 2, 3, 4, 0, 9]),
  }));
  t.like(r, { interval: 900, minInterval: 60, complete: 3, incomplete: 7, warning: 'be nice' });
  t.deepEqual(r.trackerId, utf8('T1'));
  t.deepEqual(r.peers, [{ host: '1.2.3.4', port: 9 }]);
});

test('BEP3-TRK-7 / BEP23-3: dictionary peers accepted (ip may be a DNS name), bad entries skipped and noted', (t) => {
  const r = parseAnnounceResponse(encode({
    interval: 60,
    peers: [
      { 'peer id': new Uint8Array(20), ip: utf8('peer.example.org'), port: 6881 },
      { ip: utf8('10.0.0.2'), port: 51413 },
      { ip: utf8('10.0.0.3'), port: 0 },
      { port: 1 },
      utf8('junk'),
    ],
  }));
  t.deepEqual(r.peers, [{ host: 'peer.example.org', port: 6881 }, { host: '10.0.0.2', port: 51413 }]);
  t.deepEqual(r.tolerated, ['BEP3-TRK-7']);
});

test('BEP3-TRK-6: a reply without interval or peers is tolerated, defaulted and flagged', (t) => {
  const r = parseAnnounceResponse(encode({ complete: 1 }));
  t.is(r.interval, DEFAULT_INTERVAL_S);
  t.deepEqual(r.peers, []);
  t.deepEqual(r.tolerated, ['BEP3-TRK-6']);
});

test('non-canonical bencode (unsorted keys) from a tracker is accepted', (t) => {
  const r = parseAnnounceResponse(b('d5:peers0:8:intervali30ee'));
  t.is(r.interval, 30);
});

test('BEP23-4: a compact string of 7 bytes is a TrackerError; non-dict or non-bencode bodies too', (t) => {
  t.throws(() => parseAnnounceResponse(encode({ interval: 1, peers: new Uint8Array(7) })), { instanceOf: TrackerError });
  t.throws(() => parseAnnounceResponse(b('<html>busy</html>')), { instanceOf: TrackerError });
  t.throws(() => parseAnnounceResponse(b('li1ee')), { instanceOf: TrackerError });
  t.throws(() => parseAnnounceResponse(encode({ interval: 1, peers: 5 })), { instanceOf: TrackerError });
});

test('scrape: files dict keyed by raw 20-byte hashes', (t) => {
  const h = new Uint8Array(20).fill(0xaa);
  let k = ''; for (const x of h) k += String.fromCharCode(x);
  const r = parseScrapeResponse(encode({ files: { [k]: { complete: 5, downloaded: 50, incomplete: 10, name: 'x' }, short: { complete: 1 } } }));
  t.deepEqual([...r.entries()], [[toHex(h), { complete: 5, downloaded: 50, incomplete: 10 }]]);
  t.throws(() => parseScrapeResponse(encode({ 'failure reason': 'no' })), { instanceOf: TrackerError });
  t.throws(() => parseScrapeResponse(encode({ flags: {} })), { instanceOf: TrackerError });
});

const mutate = (base: Uint8Array) => fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat()).map(([edits, cut]) => {
  const out = base.slice(0, base.length - (cut % 4));
  for (const [pos, v] of edits) if (out.length) out[pos % out.length] = v;
  return out;
});

test('fuzz: arbitrary and mutated bodies either parse or throw TrackerError', (t) => {
  const seed = encode({ interval: 1800, 'min interval': 60, complete: 1, peers: new Uint8Array(12), peers6: new Uint8Array(18), 'tracker id': utf8('x') });
  const dictSeed = encode({ interval: 1, peers: [{ ip: utf8('1.2.3.4'), port: 1, 'peer id': new Uint8Array(20) }] });
  const body = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutate(seed), mutate(dictSeed));
  fc.assert(fc.property(body, (x) => {
    for (const parse of [parseAnnounceResponse, parseScrapeResponse]) {
      try { parse(x); } catch (e) { if (!(e instanceof TrackerError)) throw e; }
    }
  }), { numRuns: 2000 });
  t.pass();
});
