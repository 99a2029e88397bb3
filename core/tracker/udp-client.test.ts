import test from 'ava';
import fc from 'fast-check';
import type { Address } from '../seam/net.js';
import { seededRandom } from '../util/prng.js';
import { TrackerError } from '../util/errors.js';
import { FakeTime } from './testing/fake-time.js';
import { UdpTrackerClient } from './udp-client.js';
import {
  encodeAnnounceResponse, encodeConnectResponse, encodeErrorResponse, encodeScrapeResponse, parseClientRequest,
  type UdpClientRequest,
} from './udp-codec.js';
import type { AnnounceRequest, AnnounceResult } from './types.js';

const TRACKER: Address = { host: '127.0.0.1', port: 6969 };
const req: AnnounceRequest = {
  infoHash: new Uint8Array(20).fill(1), peerId: new Uint8Array(20).fill(2), port: 6881,
  uploaded: 0, downloaded: 0, left: 100, event: 'started', key: 42, numwant: 30,
};
const S = 1000;

function rig(seed = 1) {
  const time = new FakeTime();
  const sent: Array<{ t: number; p: UdpClientRequest; to: Address }> = [];
  const client = new UdpTrackerClient({
    clock: time, timers: time, random: seededRandom(seed),
    send: (d, to) => sent.push({ t: time.now() / S, p: parseClientRequest(d), to }),
  });
  return { time, sent, client, last: () => sent[sent.length - 1].p };
}

test('BEP15-TO-1: connect retries at t = 0, 15, 45, 105, … up to n = 8, then a timeout error', (t) => {
  const { time, sent, client } = rig();
  let err: Error | null = null;
  client.announce(TRACKER, req, (e) => { err = e; });
  time.advanceTo(10_000 * S);
  t.deepEqual(sent.map((s) => s.t), [0, 15, 45, 105, 225, 465, 945, 1905, 3825]);
  t.true(sent.every((s) => s.p.action === 'connect'));
  // Retransmissions of one phase keep the transaction id, so a late reply still counts.
  t.is(new Set(sent.map((s) => s.p.txid)).size, 1);
  t.true(err !== null && (err as Error) instanceof TrackerError);
  t.is((err as unknown as TrackerError).context.clause, 'BEP15-TO-1');
  t.is(client.inFlight(), 0);
});

test('BEP15-CONN-5: a connection id received at t = 1 is stale after t = 61: the announce retried at 106 reconnects first', (t) => {
  const { time, sent, client, last } = rig();
  let result: AnnounceResult | undefined;
  client.announce(TRACKER, req, (e, r) => { result = r; });
  time.advanceTo(1 * S);
  client.handleDatagram(encodeConnectResponse(last().txid, new Uint8Array(8).fill(7)), TRACKER);
  time.advanceTo(200 * S);
  t.deepEqual(sent.map((s) => [s.t, s.p.action]), [[0, 'connect'], [1, 'announce'], [16, 'announce'], [46, 'announce'], [106, 'connect']]);
  // The stale id was never used past 60 s of age.
  // The fresh connect is answered; the announce goes out at once with the new id.
  client.handleDatagram(encodeConnectResponse(last().txid, new Uint8Array(8).fill(9)), TRACKER);
  const a = last();
  t.is(a.action, 'announce');
  t.deepEqual(a.action === 'announce' ? [...a.connectionId] : [], new Array(8).fill(9));
  client.handleDatagram(encodeAnnounceResponse(a.txid, 1800, 3, 4, [{ host: '10.0.0.1', port: 1 }], 4), TRACKER);
  t.deepEqual(result, { interval: 1800, complete: 4, incomplete: 3, peers: [{ host: '10.0.0.1', port: 1 }] });
});

test('BEP15-CONN-5: within a minute the connection id is reused without a new connect', (t) => {
  const { time, sent, client, last } = rig();
  client.announce(TRACKER, req, () => {});
  client.handleDatagram(encodeConnectResponse(last().txid, new Uint8Array(8).fill(3)), TRACKER);
  client.handleDatagram(encodeAnnounceResponse(last().txid, 60, 0, 0, [], 4), TRACKER);
  time.advanceTo(59 * S);
  client.announce(TRACKER, { ...req, event: 'none' }, () => {});
  t.is(last().action, 'announce');
  time.advanceTo(60 * S);
  client.announce(TRACKER, { ...req, event: 'none' }, () => {});
  t.is(last().action, 'connect');
  t.is(sent.length, 4);
});

test('BEP15-ANN-2/GEN-1: event numbers and num_want (-1 when unset) on the wire', (t) => {
  const { client, last } = rig();
  client.announce(TRACKER, { ...req, event: 'stopped', numwant: undefined }, () => {});
  client.handleDatagram(encodeConnectResponse(last().txid, new Uint8Array(8)), TRACKER);
  const a = last();
  t.like(a, { action: 'announce', event: 3, numWant: -1, key: 42, port: 6881, left: 100 });
});

test('BEP15-ERR-1: an error reply fails the transaction with the tracker\'s message', (t) => {
  const { client, last } = rig();
  let err: Error | null = null;
  client.announce(TRACKER, req, (e) => { err = e; });
  client.handleDatagram(encodeErrorResponse(last().txid, 'info hash not allowed'), TRACKER);
  t.true(err !== null);
  t.regex((err as unknown as Error).message, /info hash not allowed/);
  t.is(client.inFlight(), 0);
});

test('BEP15-CONN-3/ANN-4: spoofed, truncated, other-transaction and wrong-action replies are ignored', (t) => {
  const { time, client, last } = rig();
  let calls = 0;
  let result: AnnounceResult | undefined;
  client.announce(TRACKER, req, (e, r) => { calls++; result = r; });
  const tx = last().txid;
  const ok = encodeConnectResponse(tx, new Uint8Array(8).fill(5));
  t.false(client.handleDatagram(ok, { host: '127.0.0.2', port: 6969 })); // spoofed source
  t.false(client.handleDatagram(ok, { host: '127.0.0.1', port: 6970 }));
  t.false(client.handleDatagram(ok.subarray(0, 12), TRACKER)); // truncated
  t.false(client.handleDatagram(encodeConnectResponse(tx ^ 1, new Uint8Array(8)), TRACKER)); // other transaction
  t.false(client.handleDatagram(encodeAnnounceResponse(tx, 1, 1, 1, [], 4), TRACKER)); // announce reply to a connect
  t.false(client.handleDatagram(new Uint8Array(3), TRACKER));
  t.is(calls, 0);
  t.true(client.handleDatagram(ok, TRACKER));
  const a = last();
  t.false(client.handleDatagram(encodeAnnounceResponse(a.txid, 1, 1, 1, [], 4).subarray(0, 8), TRACKER)); // opentracker's 8 bytes
  t.true(client.handleDatagram(encodeAnnounceResponse(a.txid, 1, 1, 1, [], 4), TRACKER));
  t.is(calls, 1);
  t.is(result?.interval, 1);
  time.advanceTo(10_000 * S);
  t.is(calls, 1, 'no timeout after success');
});

test('a truncated reply is named in the eventual timeout error', (t) => {
  const { time, client, last } = rig();
  let err: Error | null = null;
  client.announce(TRACKER, req, (e) => { err = e; });
  client.handleDatagram(encodeConnectResponse(last().txid, new Uint8Array(8)), TRACKER);
  client.handleDatagram(encodeAnnounceResponse(last().txid, 1, 1, 1, [], 4).subarray(0, 8), TRACKER);
  time.advanceTo(10_000 * S);
  t.regex((err as unknown as Error).message, /announce reply too short: 8 < 20/);
});

test('one socket, many trackers and torrents: replies demultiplexed by transaction id', (t) => {
  const { client, sent } = rig(7);
  const T2: Address = { host: '::1', port: 7000 };
  const got: string[] = [];
  for (let i = 0; i < 10; i++) {
    const tracker = i % 2 ? T2 : TRACKER;
    client.announce(tracker, { ...req, infoHash: new Uint8Array(20).fill(i) }, (e, r) => got.push(`${i}:${e ? 'err' : r!.peers[0].port}`));
  }
  t.is(new Set(sent.map((s) => s.p.txid)).size, 10);
  // Answer connects in reverse order, then announces in reverse order.
  for (const s of [...sent].reverse()) client.handleDatagram(encodeConnectResponse(s.p.txid, new Uint8Array(8)), s.to);
  const anns = sent.filter((s) => s.p.action === 'announce');
  t.is(anns.length, 10);
  for (const s of [...anns].reverse()) {
    const p = s.p as Extract<UdpClientRequest, { action: 'announce' }>;
    const fam = s.to.host.includes(':') ? 6 : 4;
    client.handleDatagram(encodeAnnounceResponse(p.txid, 60, 0, 0, [{ host: fam === 6 ? '::2' : '2.2.2.2', port: 100 + p.infoHash[0] }], fam), s.to);
  }
  t.deepEqual(got.sort(), Array.from({ length: 10 }, (_, i) => `${i}:${100 + i}`).sort());
});

test('scrape over UDP maps entries back to the requested hashes', (t) => {
  const { client, last } = rig();
  const hashes = [new Uint8Array(20).fill(0xab), new Uint8Array(20).fill(0xcd)];
  let res: Map<string, unknown> | undefined;
  client.scrape(TRACKER, hashes, (e, r) => { res = r; });
  client.handleDatagram(encodeConnectResponse(last().txid, new Uint8Array(8)), TRACKER);
  t.is(last().action, 'scrape');
  client.handleDatagram(encodeScrapeResponse(last().txid, [{ complete: 1, downloaded: 2, incomplete: 3 }, { complete: 4, downloaded: 5, incomplete: 6 }]), TRACKER);
  t.deepEqual(res?.get('cd'.repeat(20)), { complete: 4, downloaded: 5, incomplete: 6 });
});

test('cancel is silent; close fails what is pending', (t) => {
  const { time, client } = rig();
  let a = 0, b: Error | null = null;
  const h = client.announce(TRACKER, req, () => { a++; });
  client.announce(TRACKER, req, (e) => { b = e; });
  h.cancel();
  client.close();
  time.advanceTo(10_000 * S);
  t.is(a, 0);
  t.regex((b as unknown as Error).message, /closed/);
});

test('fuzz: random datagrams at random times never crash the client nor leak transactions', (t) => {
  fc.assert(fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.boolean(), fc.nat(100)), { maxLength: 40 }), fc.integer(), (events, seed) => {
    const { time, client, sent } = rig(seed);
    let finished = 0;
    client.announce(TRACKER, req, () => { finished++; });
    for (const [bytes, useTx, dt] of events) {
      const d = bytes.slice();
      if (useTx && d.length >= 8 && sent.length) {
        const tx = sent[sent.length - 1].p.txid; // aim at the live transaction
        d[4] = tx >>> 24; d[5] = (tx >>> 16) & 255; d[6] = (tx >>> 8) & 255; d[7] = tx & 255;
      }
      client.handleDatagram(d, TRACKER);
      time.advance(dt * S);
    }
    time.advanceTo(time.now() + 10_000 * S);
    t.is(finished, 1);
    t.is(client.inFlight(), 0);
  }), { numRuns: 300 });
});
