import test from 'ava';
import fc from 'fast-check';
import type { Address, HttpRequest } from '../../seam/net.js';
import { encode } from '../../bencode/encode.js';
import { seededRandom } from '../../util/prng.js';
import { fromUtf8, toHex, utf8 } from '../../util/bytes.js';
import { TrackerError } from '../../util/errors.js';
import { FakeTime } from '../testing/fake-time.js';
import { buildAnnounceUrl, buildScrapeUrl } from '../http-url.js';
import { parseAnnounceResponse, parseScrapeResponse } from '../http-response.js';
import {
  encodeAnnounceRequest, encodeConnectRequest, encodeScrapeRequest, parseTrackerReply, type UdpTrackerReply,
} from '../udp-codec.js';
import type { AnnounceRequest } from '../types.js';
import { parseAllowList, TrackerServer, type TrackerServerOptions } from './tracker-server.js';
import { parseQuery, percentDecode } from './query.js';

const H1 = new Uint8Array(20).fill(0x11);
const H2 = new Uint8Array(20).fill(0x22);
const pid = (n: number) => utf8(`-BL0100-${String(n).padStart(12, '0')}`);

function rig(o: Partial<TrackerServerOptions> = {}) {
  const time = new FakeTime();
  const server = new TrackerServer({ clock: time, random: seededRandom(3), intervalS: 60, ...o });
  return { time, server };
}

const announceReq = (over: Partial<AnnounceRequest> = {}): AnnounceRequest => ({
  infoHash: H1, peerId: pid(1), port: 6881, uploaded: 0, downloaded: 0, left: 10, event: 'started', key: 1, numwant: 50, ...over,
});

function httpReq(url: string, remote: Address): HttpRequest {
  const u = url.slice(url.indexOf('//') + 2);
  const path = u.slice(u.indexOf('/'), u.includes('?') ? u.indexOf('?') : undefined);
  return { path, rawQuery: u.includes('?') ? u.slice(u.indexOf('?') + 1) : '', remote };
}

const httpAnnounce = (s: TrackerServer, remote: Address, over: Partial<AnnounceRequest> = {}) =>
  parseAnnounceResponse(s.handleHttp(httpReq(buildAnnounceUrl('http://t/announce', announceReq(over)), remote)).body);

test('HTTP announce: peers see each other (compact by default), never themselves; complete/incomplete counted', (t) => {
  const { server } = rig();
  const a = { host: '10.0.0.1', port: 40000 }, b = { host: '10.0.0.2', port: 40001 };
  const r1 = httpAnnounce(server, a, { left: 0 });
  t.deepEqual(r1.peers, []);
  t.like(r1, { interval: 60, minInterval: 30, complete: 1, incomplete: 0 });
  const r2 = httpAnnounce(server, b, { peerId: pid(2), port: 7000 });
  t.deepEqual(r2.peers, [{ host: '10.0.0.1', port: 6881 }]);
  t.like(r2, { complete: 1, incomplete: 1 });
  t.like(server.stats(), { announces: 2, torrents: 1, peers: 2, seeders: 1, leechers: 1 });
});

test('BEP3-TRK-7: compact=0 answers with dictionary peers including peer id; BEP 7: IPv6 peers in peers6', (t) => {
  const { server } = rig();
  httpAnnounce(server, { host: '10.0.0.1', port: 1 });
  httpAnnounce(server, { host: '2001:db8::5', port: 1 }, { peerId: pid(5), port: 5555 });
  const url = buildAnnounceUrl('http://t/announce', announceReq({ peerId: pid(9), port: 9999, compact: false }));
  const body = server.handleHttp(httpReq(url, { host: '10.0.0.9', port: 1 })).body;
  const r = parseAnnounceResponse(body);
  t.deepEqual(r.peers.map((p) => `${p.host}/${p.port}`).sort(), ['10.0.0.1/6881', '2001:db8::5/5555']);
  t.true(fromUtf8(body).includes('7:peer id20:-BL0100-'));
  const compact = httpAnnounce(server, { host: '10.0.0.8', port: 1 }, { peerId: pid(8), port: 8888 });
  t.deepEqual(compact.peers.map((p) => p.host).sort(), ['10.0.0.1', '10.0.0.9', '2001:db8::5']);
  t.true(fromUtf8(server.handleHttp(httpReq(buildAnnounceUrl('http://t/announce', announceReq({ peerId: pid(7), port: 7 })), { host: '10.0.0.7', port: 1 })).body).includes('6:peers618:'));
});

test('stopped removes the peer; completed is counted for scrape; numwant caps the reply', (t) => {
  const { server } = rig();
  for (let i = 1; i <= 30; i++) httpAnnounce(server, { host: `10.0.1.${i}`, port: 1 }, { peerId: pid(i) });
  t.is(httpAnnounce(server, { host: '10.0.2.1', port: 1 }, { numwant: 7 }).peers.length, 7);
  httpAnnounce(server, { host: '10.0.1.1', port: 1 }, { event: 'completed', left: 0 });
  httpAnnounce(server, { host: '10.0.1.2', port: 1 }, { event: 'stopped' });
  const scrape = parseScrapeResponse(server.handleHttp(httpReq(buildScrapeUrl('http://t/scrape', [H1, H2]), { host: '10.0.0.1', port: 1 })).body);
  t.deepEqual(scrape.get(toHex(H1)), { complete: 1, downloaded: 1, incomplete: 29 });
  t.deepEqual(scrape.get(toHex(H2)), { complete: 0, downloaded: 0, incomplete: 0 });
  t.like(server.stats(), { scrapes: 1, peers: 30 });
});

test('peers expire when they stop announcing (lazy sweep, clock-driven)', (t) => {
  const { server, time } = rig({ peerTtlMs: 100_000 });
  httpAnnounce(server, { host: '10.0.0.1', port: 1 });
  time.advanceTo(90_000);
  t.is(httpAnnounce(server, { host: '10.0.0.2', port: 1 }, { peerId: pid(2) }).peers.length, 1);
  time.advanceTo(101_000);
  t.is(httpAnnounce(server, { host: '10.0.0.3', port: 1 }, { peerId: pid(3) }).peers.length, 1); // only 10.0.0.2 left
  time.advanceTo(400_000);
  httpAnnounce(server, { host: '10.0.0.4', port: 1 }, { peerId: pid(4), event: 'stopped' });
  t.like(server.stats(), { peers: 0, torrents: 0 });
});

test('BEP3-TRK-5: bad requests get a bencoded `failure reason` alone', (t) => {
  const { server } = rig();
  const fail = (q: string) => {
    const e = t.throws(() => parseAnnounceResponse(server.handleHttp({ path: '/announce', rawQuery: q, remote: { host: '1.1.1.1', port: 1 } }).body), { instanceOf: TrackerError });
    return e!.context.failure as string;
  };
  t.regex(fail('info_hash=abc&peer_id=aaaaaaaaaaaaaaaaaaaa&port=1'), /info_hash/);
  t.regex(fail('info_hash=aaaaaaaaaaaaaaaaaaaa&peer_id=aaaaaaaaaaaaaaaaaaaa'), /port/);
  t.regex(fail('info_hash=aaaaaaaaaaaaaaaaaaaa&peer_id=aaaaaaaaaaaaaaaaaaaa&port=1&left=-5'), /left/);
  t.regex(fail('info_hash=%zz'), /percent/);
  t.is(server.handleHttp({ path: '/stats', rawQuery: '', remote: { host: '1.1.1.1', port: 1 } }).status, 404);
  t.regex(fail(''), /info_hash/);
});

test('BEP 23 request vector is served', (t) => {
  const { server } = rig();
  const r = server.handleHttp({ path: '/announce', rawQuery: 'peer_id=aaaaaaaaaaaaaaaaaaaa&info_hash=aaaaaaaaaaaaaaaaaaaa&port=6881&left=0&downloaded=100&uploaded=0&compact=1', remote: { host: '127.0.0.1', port: 5 } });
  t.like(parseAnnounceResponse(r.body), { interval: 60, complete: 1, incomplete: 0 });
});

test('allow-list: other hashes are refused over HTTP (failure reason) and UDP (error packet)', (t) => {
  const { server } = rig({ allow: parseAllowList(`# comment\n${toHex(H1)}\n\n`) });
  t.notThrows(() => httpAnnounce(server, { host: '10.0.0.1', port: 1 }));
  t.throws(() => httpAnnounce(server, { host: '10.0.0.1', port: 1 }, { infoHash: H2 }), { message: /not allowed/ });
  const from = { host: '10.0.0.1', port: 9 };
  const c = udp(server, encodeConnectRequest(1), from);
  const r = udp(server, encodeAnnounceRequest({ ...udpAnn(c), infoHash: H2 }), from);
  t.like(r, { action: 'error', txid: 2 });
  t.throws(() => parseAllowList('nothex'), { instanceOf: TrackerError });
});

test('rate limit per address per window', (t) => {
  const { server, time } = rig({ rateLimit: { windowMs: 10_000, max: 3 } });
  const a = { host: '10.0.0.1', port: 1 };
  for (let i = 0; i < 3; i++) httpAnnounce(server, a);
  t.throws(() => httpAnnounce(server, a), { message: /rate limited/ });
  t.notThrows(() => httpAnnounce(server, { host: '10.0.0.2', port: 1 }));
  t.is(server.handleUdp(encodeConnectRequest(1), a), null); // UDP: silently dropped (no amplification)
  time.advance(10_000);
  t.notThrows(() => httpAnnounce(server, a));
});

// ---- UDP ---------------------------------------------------------------------------

function udp(server: TrackerServer, p: Uint8Array, from: Address): UdpTrackerReply | null {
  const r = server.handleUdp(p, from);
  return r ? parseTrackerReply(r, from.host.includes(':') ? 6 : 4) : null;
}
const udpAnn = (c: UdpTrackerReply | null) => ({
  connectionId: c && c.action === 'connect' ? c.connectionId : new Uint8Array(8), txid: 2, infoHash: H1, peerId: pid(1),
  downloaded: 0, left: 5, uploaded: 0, event: 2, ip: 0, key: 1, numWant: -1, port: 6881,
});

test('BEP15-CONN-2/ANN-3: UDP connect then announce; peers of the packet\'s family only (BEP15-V6-2)', (t) => {
  const { server } = rig();
  httpAnnounce(server, { host: '2001:db8::1', port: 1 }, { peerId: pid(6), port: 6666 });
  const a = { host: '10.0.0.1', port: 5000 }, b = { host: '10.0.0.2', port: 5001 };
  const ca = udp(server, encodeConnectRequest(77), a);
  t.like(ca, { action: 'connect', txid: 77 });
  t.like(udp(server, encodeAnnounceRequest(udpAnn(ca)), a), { action: 'announce', txid: 2, interval: 60, leechers: 2, seeders: 0, peers: [] });
  const cb = udp(server, encodeConnectRequest(78), b);
  const rb = udp(server, encodeAnnounceRequest({ ...udpAnn(cb), peerId: pid(2), port: 7777, left: 0 }), b);
  t.deepEqual(rb, { action: 'announce', txid: 2, interval: 60, leechers: 2, seeders: 1, peers: [{ host: '10.0.0.1', port: 6881 }] });
  const v6 = { host: '2001:db8::2', port: 1 };
  const c6 = udp(server, encodeConnectRequest(1), v6);
  const r6 = udp(server, encodeAnnounceRequest({ ...udpAnn(c6), peerId: pid(3), port: 3 }), v6);
  t.deepEqual(r6?.action === 'announce' ? r6.peers : null, [{ host: '2001:db8::1', port: 6666 }]);
  const s = udp(server, encodeScrapeRequest(udpAnn(cb).connectionId, 9, [H1, H2]), b);
  t.deepEqual(s, { action: 'scrape', txid: 9, entries: [{ complete: 1, downloaded: 0, incomplete: 3 }, { complete: 0, downloaded: 0, incomplete: 0 }] });
});

test('BEP15-CONN-4/5: connection ids are bound to the address, valid ≥ 2 min and < 3 min; bad ids are ignored', (t) => {
  const { server, time } = rig();
  const a = { host: '10.0.0.1', port: 5000 };
  time.advanceTo(59_999); // just before a window boundary: the worst case
  const c = udp(server, encodeConnectRequest(1), a);
  const ann = encodeAnnounceRequest(udpAnn(c));
  t.is(udp(server, ann, { host: '10.0.0.1', port: 5001 }), null, 'other port');
  t.is(udp(server, ann, { host: '10.0.0.66', port: 5000 }), null, 'spoofed source');
  time.advanceTo(59_999 + 120_000);
  t.like(udp(server, ann, a), { action: 'announce' }, 'still valid after 2 minutes');
  time.advanceTo(59_999 + 180_001);
  t.is(udp(server, ann, a), null, 'expired after 3 minutes');
  const forged = encodeAnnounceRequest({ ...udpAnn(null), connectionId: new Uint8Array(8).fill(1) });
  t.is(udp(server, forged, a), null);
  t.is(server.stats().rejected, 4);
});

test('BEP15-CONN-4: two servers with different secrets issue different ids (not guessable without the key)', (t) => {
  const a = new TrackerServer({ clock: new FakeTime(), random: seededRandom(1) });
  const b = new TrackerServer({ clock: new FakeTime(), random: seededRandom(2) });
  const from = { host: '1.2.3.4', port: 5 };
  t.notDeepEqual(a.handleUdp(encodeConnectRequest(1), from), b.handleUdp(encodeConnectRequest(1), from));
});

test('query parser: bytes, not text; + is a space; repeated keys kept in order', (t) => {
  const q = parseQuery('a=%00%FF%41&b=x+y&a=2&flag&=empty');
  t.deepEqual(q.get('a'), [new Uint8Array([0, 255, 65]), utf8('2')]);
  t.deepEqual(q.get('b'), [utf8('x y')]);
  t.deepEqual(q.get('flag'), [new Uint8Array()]);
  t.deepEqual(percentDecode('%4a%4A'), utf8('JJ'));
  t.throws(() => parseQuery('a=%4'), { instanceOf: TrackerError });
  t.throws(() => parseQuery('a'.repeat(9000)), { instanceOf: TrackerError });
});

test('fuzz: the HTTP query parser and announce handler accept or refuse any query, never throw', (t) => {
  const { server } = rig({ maxTorrents: 50, maxPeersPerTorrent: 20 });
  const valid = buildAnnounceUrl('http://t/announce', announceReq());
  const seedQ = valid.slice(valid.indexOf('?') + 1);
  const mutatedQ = fc.tuple(fc.array(fc.tuple(fc.nat(), fc.constantFrom('%', '&', '=', '+', 'a', '0', 'Z', '\u00ff', '\u0100', '%2', '')), { maxLength: 5 }))
    .map(([edits]) => { let s = seedQ; for (const [p, c] of edits) { const i = p % (s.length + 1); s = s.slice(0, i) + c + s.slice(i + 1); } return s; });
  fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 200 }), mutatedQ), fc.nat(255), (q, ip) => {
    try { parseQuery(q); } catch (e) { if (!(e instanceof TrackerError)) throw e; }
    const r = server.handleHttp({ path: '/announce', rawQuery: q, remote: { host: `10.0.0.${ip}`, port: 1 } });
    t.is(r.status, 200);
    try { parseAnnounceResponse(r.body); } catch (e) { if (!(e instanceof TrackerError)) throw e; }
    server.handleHttp({ path: '/scrape', rawQuery: q, remote: { host: `10.0.0.${ip}`, port: 1 } });
  }), { numRuns: 2000 });
  const s = server.stats();
  t.true(s.torrents <= 50 && s.peers <= 50 * 20, JSON.stringify(s));
});

test('fuzz: random and mutated UDP packets never throw and keep state bounded', (t) => {
  const { server, time } = rig({ maxTorrents: 20, maxPeersPerTorrent: 10 });
  const from = { host: '10.9.9.9', port: 1000 };
  const c = udp(server, encodeConnectRequest(1), from);
  const seeds = [encodeConnectRequest(5), encodeAnnounceRequest(udpAnn(c)), encodeScrapeRequest(udpAnn(c).connectionId, 3, [H1])];
  const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.integer({ min: -20, max: 40 }))
    .map(([s, edits, dl]) => {
      const out = new Uint8Array(Math.max(0, s.length + dl));
      out.set(s.subarray(0, Math.min(out.length, s.length)));
      for (const [p, v] of edits) if (out.length) out[p % out.length] = v;
      return out;
    });
  fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 150 }), mutated), fc.nat(1000), (p, dt) => {
    time.advance(dt);
    const r = server.handleUdp(p, from);
    if (r) parseTrackerReply(r); // whatever we send must itself be a valid reply
  }), { numRuns: 3000 });
  const s = server.stats();
  t.true(s.torrents <= 20 && s.peers <= 200, JSON.stringify(s));
});

test('encode sanity: failure body is exactly the BEP3-TRK-5 shape', (t) => {
  const { server } = rig();
  const r = server.handleHttp({ path: '/announce', rawQuery: '', remote: { host: '1.1.1.1', port: 1 } });
  t.deepEqual(r.body, encode({ 'failure reason': 'info_hash must be 20 bytes' }));
});
