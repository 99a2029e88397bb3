/**
 * BEP 15 UDP tracker protocol, tracker side, over raw datagrams: connect (BEP15-CONN-*),
 * announce (BEP15-ANN-*), scrape (BEP15-SCR-*), errors (BEP15-ERR-1), packet lengths
 * (BEP15-GEN-2). Every exchange is one socket to the address given, a few packets each.
 */
import fc from 'fast-check';
import { readU32, toHex, fromUtf8Strict } from '../../core/util/bytes.js';
import { encodeAnnounceRequest, encodeConnectRequest, encodeScrapeRequest } from '../../core/tracker/udp-codec.js';
import type { DatagramChannel } from '../channels/datagram.js';
import { checkProperty } from '../property.js';
import type { CaseContext, ConformanceCase } from '../types.js';
import type { UdpTrackerTarget } from '../targets/types.js';
import { cannotJudge, expect, fail, hexCut, pass } from '../verdicts.js';

type C = ConformanceCase<UdpTrackerTarget>;

async function withChannel<X>(t: UdpTrackerTarget, f: (ch: DatagramChannel) => Promise<X>): Promise<X> {
  const ch = await t.open();
  try { return await f(ch); } finally { ch.close(); }
}

/** Send and take the first datagram back (or null). */
async function exchange(ch: DatagramChannel, ctx: CaseContext, packet: Uint8Array): Promise<Uint8Array | null> {
  ch.send(packet);
  return ch.recv(ctx.replyTimeoutMs);
}

/** Connect (BEP15-CONN-1/2) as a prerequisite of another case: a broken connect means we cannot judge. */
async function connectionId(ch: DatagramChannel, ctx: CaseContext): Promise<Uint8Array> {
  const txid = ctx.rng.u32();
  const r = await exchange(ch, ctx, encodeConnectRequest(txid));
  if (!r) cannotJudge('prerequisite: no reply to connect');
  if (r.length < 16 || readU32(r, 0) !== 0 || readU32(r, 4) !== txid) cannotJudge(`prerequisite: unusable connect reply 0x${hexCut(r)} (see BEP15-CONN-2)`);
  return r.slice(8, 16);
}

function peerId(ctx: CaseContext): Uint8Array {
  const id = ctx.rng.bytes(20);
  id.set([0x2d, 0x43, 0x46, 0x30, 0x31, 0x30, 0x30, 0x2d]); // '-CF0100-'
  return id;
}

interface AnnounceOpts { infoHash: Uint8Array; port: number; left: number; event: number; numWant?: number }

function announcePacket(ctx: CaseContext, cid: Uint8Array, txid: number, o: AnnounceOpts): Uint8Array {
  return encodeAnnounceRequest({
    connectionId: cid, txid, infoHash: o.infoHash, peerId: peerId(ctx),
    downloaded: 0, left: o.left, uploaded: 0, event: o.event, ip: 0, key: ctx.rng.u32(), numWant: o.numWant ?? -1, port: o.port,
  });
}

/** Checks BEP15-ANN-3 on one reply; returns the peers (6-byte entries) or the error message. */
function readAnnounceReply(r: Uint8Array, txid: number): { peers: Array<{ host: string; port: number }>; leechers: number; seeders: number; interval: number } | { error: string } {
  expect(r.length >= 8, `reply of ${r.length} bytes: shorter than any BEP 15 reply`);
  const action = readU32(r, 0);
  expect(readU32(r, 4) === txid, `reply transaction id ${readU32(r, 4)} ≠ ${txid} (0x${hexCut(r)})`);
  if (action === 3) return { error: fromUtf8Strict(r.subarray(8)) ?? `0x${hexCut(r.subarray(8))}` };
  expect(action === 1, `announce reply has action ${action}, not 1 (0x${hexCut(r)})`);
  expect(r.length >= 20, `announce reply is ${r.length} bytes: action 1 needs interval, leechers, seeders (20 bytes) (0x${hexCut(r)})`);
  expect((r.length - 20) % 6 === 0, `announce reply carries ${r.length - 20} bytes of peers: not a multiple of 6`);
  const peers: Array<{ host: string; port: number }> = [];
  for (let o = 20; o + 6 <= r.length; o += 6) peers.push({ host: `${r[o]}.${r[o + 1]}.${r[o + 2]}.${r[o + 3]}`, port: (r[o + 4] << 8) | r[o + 5] });
  return { interval: readU32(r, 8), leechers: readU32(r, 12), seeders: readU32(r, 16), peers };
}

const allowedHash = (t: UdpTrackerTarget, ctx: CaseContext): Uint8Array => t.infoHash ?? ctx.rng.bytes(20);

export const udpTrackerCases: C[] = [
  {
    id: 'BEP15-CONN-2:layout', clause: 'BEP15-CONN-2', level: 'desc', suite: 'tracker-udp', style: 'exchange',
    title: 'connect reply: 16 bytes, action 0, our transaction id, 8-byte connection id',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const txid = ctx.rng.u32();
        const r = await exchange(ch, ctx, encodeConnectRequest(txid));
        expect(r, `no reply to a connect request within ${ctx.replyTimeoutMs} ms`);
        ctx.note(`reply 0x${hexCut(r)}`);
        expect(r.length >= 16, `connect reply is ${r.length} bytes, needs 16`);
        expect(readU32(r, 0) === 0, `connect reply has action ${readU32(r, 0)}, not 0`);
        expect(readU32(r, 4) === txid, `connect reply transaction id ${readU32(r, 4)} ≠ ours ${txid}`);
        return pass(r.length === 16 ? undefined : `reply is ${r.length} bytes (longer than 16: tolerated, BEP15-GEN-2)`);
      });
    },
  },
  {
    id: 'BEP15-CONN-2:txid-echo', clause: 'BEP15-CONN-2', level: 'desc', suite: 'tracker-udp', style: 'property',
    title: 'for any transaction id, the connect reply echoes it',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        await checkProperty(ctx, fc.asyncProperty(fc.integer({ min: 0, max: 0xffffffff }), async (txid) => {
          const r = await exchange(ch, ctx, encodeConnectRequest(txid));
          if (!r) throw new Error(`no reply for transaction id ${txid}`);
          return r.length >= 16 && readU32(r, 0) === 0 && readU32(r, 4) === txid;
        }), { numRuns: 12, what: 'connect reply echoes the transaction id' });
        return pass();
      });
    },
  },
  {
    id: 'BEP15-CONN-1:bad-protocol-id', clause: 'BEP15-CONN-1', level: 'desc', interop: false, suite: 'tracker-udp', style: 'exchange',
    title: 'a connect request without the protocol id 0x41727101980 gets no connection id',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const bad = encodeConnectRequest(ctx.rng.u32());
        bad[7] ^= 0xff;
        const r = await exchange(ch, ctx, bad);
        if (!r) return pass('ignored (no reply)');
        if (r.length >= 8 && readU32(r, 0) === 3) return pass(`refused with an error: ${fromUtf8Strict(r.subarray(8)) ?? ''}`);
        return fail(`answered a connect with a wrong protocol id: 0x${hexCut(r)}`);
      });
    },
  },
  {
    id: 'BEP15-GEN-2:longer-request', clause: 'BEP15-GEN-2', level: 'should', suite: 'tracker-udp', style: 'exchange',
    title: 'a connect request with trailing bytes is still answered (tolerate longer packets)',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const txid = ctx.rng.u32();
        const p = new Uint8Array(24);
        p.set(encodeConnectRequest(txid));
        p.set([0x02, 0x06, 0x2f, 0x61, 0x6e, 0x6e, 0x00, 0x00], 16); // a BEP 41 URLData option, then EndOfOptions
        const r = await exchange(ch, ctx, p);
        expect(r, 'no reply to a 24-byte connect request');
        expect(r.length >= 16 && readU32(r, 0) === 0 && readU32(r, 4) === txid, `unexpected reply 0x${hexCut(r)}`);
        return pass();
      });
    },
  },
  {
    id: 'BEP15-CONN-4:bad-connection-id', clause: 'BEP15-CONN-4', level: 'should', suite: 'tracker-udp', style: 'exchange',
    title: 'an announce with a connection id the tracker never issued is ignored (or refused)',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const txid = ctx.rng.u32();
        const r = await exchange(ch, ctx, announcePacket(ctx, ctx.rng.bytes(8), txid, { infoHash: allowedHash(t, ctx), port: 6881, left: 1, event: 2 }));
        if (!r) return pass('ignored (no reply)');
        if (r.length >= 8 && readU32(r, 0) === 3) return pass(`refused: ${fromUtf8Strict(r.subarray(8)) ?? hexCut(r.subarray(8))}`);
        return fail(`served an announce with a forged connection id: 0x${hexCut(r)}`);
      });
    },
  },
  {
    id: 'BEP15-ANN-3:layout', clause: 'BEP15-ANN-3', level: 'desc', suite: 'tracker-udp', style: 'exchange',
    title: 'announce reply: action 1, transaction id, interval, leechers, seeders, 6-byte peers',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const cid = await connectionId(ch, ctx);
        const txid = ctx.rng.u32();
        const hash = allowedHash(t, ctx);
        const r = await exchange(ch, ctx, announcePacket(ctx, cid, txid, { infoHash: hash, port: 6881 + ctx.rng.int(1000), left: 1000, event: 2 }));
        expect(r, `no reply to an announce within ${ctx.replyTimeoutMs} ms`);
        ctx.note(`info hash ${toHex(hash)}${t.infoHash ? ' (given)' : ' (random)'}; reply 0x${hexCut(r)}`);
        const a = readAnnounceReply(r, txid);
        if ('error' in a) {
          if (t.infoHash) fail(`the tracker refused the given info hash: ${a.error}`);
          return cannotJudge(`refused a random info hash (allow-list?): ${a.error}; pass --info-hash to check the layout`);
        }
        return pass(`interval ${a.interval}, leechers ${a.leechers}, seeders ${a.seeders}, ${a.peers.length} peer(s)`);
      });
    },
  },
  {
    id: 'BEP15-ANN-3:unlisted-hash', clause: 'BEP15-ANN-3', level: 'desc', suite: 'tracker-udp', style: 'exchange',
    title: 'an announce for a hash the tracker will not track gets a full announce reply or an error (action 3), nothing else',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const cid = await connectionId(ch, ctx);
        const txid = ctx.rng.u32();
        const r = await exchange(ch, ctx, announcePacket(ctx, cid, txid, { infoHash: ctx.rng.bytes(20), port: 6881, left: 1000, event: 2 }));
        expect(r, `no reply to an announce within ${ctx.replyTimeoutMs} ms`);
        ctx.note(`reply 0x${hexCut(r)}`);
        const a = readAnnounceReply(r, txid);
        return pass('error' in a ? `refused with action 3: ${JSON.stringify(a.error)}` : 'tracked (open tracker)');
      });
    },
  },
  {
    id: 'BEP15-ANN-3:peer-list', clause: 'BEP15-ANN-3', level: 'desc', interop: false, suite: 'tracker-udp', style: 'exchange',
    title: 'a second peer\'s announce lists the first peer (compact 6-byte entry with its port)',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const cid = await connectionId(ch, ctx);
        const hash = allowedHash(t, ctx);
        const portA = 20000 + ctx.rng.int(20000);
        const tx1 = ctx.rng.u32();
        const r1 = await exchange(ch, ctx, announcePacket(ctx, cid, tx1, { infoHash: hash, port: portA, left: 0, event: 2 }));
        expect(r1, 'no reply to the first announce');
        const a1 = readAnnounceReply(r1, tx1);
        if ('error' in a1) cannotJudge(`announce refused: ${a1.error}`);
        const tx2 = ctx.rng.u32();
        const r2 = await exchange(ch, ctx, announcePacket(ctx, cid, tx2, { infoHash: hash, port: portA + 1, left: 1000, event: 2, numWant: 50 }));
        expect(r2, 'no reply to the second announce');
        const a2 = readAnnounceReply(r2, tx2);
        if ('error' in a2) return fail(`second announce refused: ${a2.error}`);
        ctx.note(`second reply: seeders ${a2.seeders}, leechers ${a2.leechers}, peers ${a2.peers.map((p) => `${p.host}:${p.port}`).join(' ') || '(none)'}`);
        expect(a2.peers.some((p) => p.port === portA), `the first peer (port ${portA}) is not in the second peer's list`);
        return pass();
      });
    },
  },
  {
    id: 'BEP15-SCR-2:layout-order', clause: 'BEP15-SCR-2', level: 'desc', suite: 'tracker-udp', style: 'exchange',
    title: 'scrape reply: action 2, transaction id, then seeders, completed, leechers per hash (seeder counted first)',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const cid = await connectionId(ch, ctx);
        const hash = allowedHash(t, ctx);
        const tx1 = ctx.rng.u32();
        const r1 = await exchange(ch, ctx, announcePacket(ctx, cid, tx1, { infoHash: hash, port: 20000 + ctx.rng.int(20000), left: 0, event: 2 }));
        expect(r1, 'no reply to the seeder announce');
        const a1 = readAnnounceReply(r1, tx1);
        if ('error' in a1) cannotJudge(`announce refused: ${a1.error}`);
        const tx2 = ctx.rng.u32();
        const r = await exchange(ch, ctx, encodeScrapeRequest(cid, tx2, [hash]));
        expect(r, 'no reply to a scrape');
        ctx.note(`scrape reply 0x${hexCut(r)}`);
        expect(r.length >= 8, `scrape reply is ${r.length} bytes`);
        expect(readU32(r, 0) === 2, `scrape reply action ${readU32(r, 0)}, not 2`);
        expect(readU32(r, 4) === tx2, `scrape reply transaction id ${readU32(r, 4)} ≠ ${tx2}`);
        expect(r.length >= 20, `scrape reply is ${r.length} bytes: one hash needs 8 + 12`);
        const seeders = readU32(r, 8), completed = readU32(r, 12), leechers = readU32(r, 16);
        ctx.note(`seeders ${seeders}, completed ${completed}, leechers ${leechers}`);
        expect(seeders >= 1, `we announced as a seeder (left 0) but the first field (seeders) is ${seeders} — fields in announce order (leechers, seeders)?`);
        return pass();
      });
    },
  },
  {
    id: 'BEP15-ERR-1:layout', clause: 'BEP15-ERR-1', level: 'desc', suite: 'tracker-udp', style: 'exchange',
    title: 'an error reply is action 3, our transaction id, then a message',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const cid = await connectionId(ch, ctx);
        const txid = ctx.rng.u32();
        // A random hash with port 0: trackers with an allow-list refuse it; open ones may not.
        const r = await exchange(ch, ctx, announcePacket(ctx, cid, txid, { infoHash: ctx.rng.bytes(20), port: 0, left: 1, event: 2 }));
        if (!r) return cannotJudge('no reply: no error provoked');
        if (r.length < 8 || readU32(r, 0) !== 3) return cannotJudge(`no error provoked (reply action ${r.length >= 4 ? readU32(r, 0) : '?'})`);
        expect(readU32(r, 4) === txid, `error reply transaction id ${readU32(r, 4)} ≠ ${txid}`);
        const msg = fromUtf8Strict(r.subarray(8));
        return pass(`message ${msg !== undefined ? JSON.stringify(msg) : `0x${hexCut(r.subarray(8))}`}`);
      });
    },
  },
];
