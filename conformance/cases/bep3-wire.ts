/**
 * BEP 3 peer wire against a peer reached by address: the handshake (BEP3-HS-*), framing and
 * message layouts (BEP3-MSG-*), bitfield rules, request/piece/cancel, choke and interest
 * (BEP3-STATE-*). Messages are read through bt-lab's WireDecoder, so every framing rule it
 * enforces (fixed lengths, caps) is checked on every byte the peer sends.
 */
import { bitfieldProblem } from '../../core/wire/bitfield.js';
import { endsBitfieldWindow } from '../../core/wire/validate.js';
import { bytesEqual, toHex } from '../../core/util/bytes.js';
import { sha1 } from '../../core/util/sha1.js';
import { concatBytes } from '../../core/util/bytes.js';
import { PROTOCOL_NAME } from '../../core/wire/handshake.js';
import type { PeerMessage } from '../../core/wire/types.js';
import type { ConformanceCase } from '../types.js';
import type { PeerTarget } from '../targets/types.js';
import { describeMessage } from '../channels/peer-session.js';
import { cannotJudge, expect, fail, info, pass } from '../verdicts.js';
import { blocksOf, download, messagesLine, openSession, finish, opening, probe, requireHandshake, type Snapshot } from './peer-util.js';

type C = ConformanceCase<PeerTarget>;

function reservedBits(r: Uint8Array): string {
  const names: string[] = [];
  if (r[5] & 0x10) names.push('extension (BEP 10)');
  if (r[7] & 0x01) names.push('dht (BEP 5)');
  if (r[7] & 0x04) names.push('fast (BEP 6)');
  if (r[7] & 0x10) names.push('v2 upgrade (BEP 52)');
  return `${toHex(r)}${names.length ? ` = ${names.join(', ')}` : ''}`;
}

/** Which pieces the peer announced in its opening (null: nothing usable). */
function announcedPieces(snap: Snapshot, pieceCount: number): 'all' | 'none' | 'some' | null {
  for (const r of snap.log) {
    if (r.m.type === 'have_all') return 'all';
    if (r.m.type === 'have_none') return 'none';
    if (r.m.type === 'bitfield') {
      let n = 0;
      for (let i = 0; i < pieceCount; i++) if (r.m.bits[i >> 3] & (0x80 >> (i & 7))) n++;
      return n === pieceCount ? 'all' : n === 0 ? 'none' : 'some';
    }
  }
  return null;
}

export const wireCases: C[] = [
  {
    id: 'BEP3-HS-1:reply', clause: 'BEP3-HS-1', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'the peer answers with a 68-byte handshake: 19, "BitTorrent protocol", reserved, our info hash, a peer id',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      if (!snap.handshake) fail(`no valid handshake: ${snap.protocolError ?? snap.closed?.reason ?? 'nothing received'}`);
      const h = snap.handshake;
      expect(bytesEqual(h.infoHash, t.torrent.infoHash), `handshake info hash ${toHex(h.infoHash)} ≠ ${toHex(t.torrent.infoHash)}`);
      ctx.note(`protocol "${Buffer.from(PROTOCOL_NAME).toString()}", peer id ${JSON.stringify(Buffer.from(h.peerId).toString('latin1').replace(/[^\x20-\x7e]/g, '.'))}`);
      return pass();
    },
  },
  {
    id: 'BEP3-HS-2:reserved', clause: 'BEP3-HS-2', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'which reserved bits the peer sets',
    async run(t, ctx) {
      const h = requireHandshake(await opening(t, ctx));
      return info(`reserved ${reservedBits(h.reserved)}`);
    },
  },
  {
    id: 'BEP3-HS-3:wrong-hash', clause: 'BEP3-HS-3', level: 'desc', interop: false, suite: 'peer', style: 'exchange',
    title: 'a handshake for a torrent the peer does not serve is severed',
    async run(t, ctx) {
      const { s, snap } = await openSession(t, ctx, { infoHash: ctx.rng.bytes(20), retry: false });
      const closed = snap.handshake && !s.ended ? await s.waitClosed(5000) : true;
      finish(s, snap);
      if (snap.handshake) ctx.note(`it answered with a handshake for ${toHex(snap.handshake.infoHash)} first`);
      expect(closed, 'the connection stayed open 5 s after a handshake for an unknown info hash');
      return pass(snap.protocolError ? `ended: ${snap.protocolError}` : 'severed');
    },
  },
  {
    id: 'BEP3-MSG-1:framing', order: 60, clause: 'BEP3-MSG-1', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'every message is <u32 length><id><payload> with the fixed lengths of BEP3-MSG-4/5/8 (decoded strictly)',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireHandshake(snap);
      ctx.note(`opening messages: ${messagesLine(snap.log)}`);
      expect(!snap.protocolError, `framing fault: ${snap.protocolError}`);
      const d = await download(t, ctx);
      expect(!d.snap.protocolError, `framing fault during the transfer: ${d.snap.protocolError}`);
      return pass();
    },
  },
  {
    id: 'BEP3-MSG-6:bitfield-first', clause: 'BEP3-MSG-6', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'a bitfield (or have_all/have_none) comes only as the first message',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireHandshake(snap);
      let seenOther: string | undefined;
      for (const r of snap.log) {
        const m = r.m;
        if ((m.type === 'bitfield' || m.type === 'have_all' || m.type === 'have_none') && seenOther) fail(`${describeMessage(m)} after ${seenOther}`);
        if (endsBitfieldWindow(m) && !seenOther) seenOther = describeMessage(m);
      }
      return pass(`opening: ${messagesLine(snap.log, 8)}`);
    },
  },
  {
    id: 'BEP3-MSG-7:bitfield-layout', clause: 'BEP3-MSG-7', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'the bitfield is ceil(n/8) bytes, high bit of byte 0 = piece 0, spare bits zero',
    async run(t, ctx) {
      let snap = await opening(t, ctx);
      requireHandshake(snap);
      // A seed with the fast extension says have_all: ask again without the fast bit.
      if (snap.fast && !snap.log.some((r) => r.m.type === 'bitfield')) {
        snap = await ctx.shared('peer:opening-nofast', async () => {
          const { s, snap: sn } = await openSession(t, ctx, { fast: false });
          if (sn.handshake) await s.settle(700, 4000);
          return finish(s, sn);
        });
        ctx.note(`without the fast bit: ${messagesLine(snap.log, 4)}`);
      }
      const bf = snap.log.find((r) => r.m.type === 'bitfield');
      if (!bf || bf.m.type !== 'bitfield') return cannotJudge(`no bitfield sent (${messagesLine(snap.log, 4)})`);
      const why = bitfieldProblem(bf.m.bits, t.torrent.pieceCount);
      expect(!why, `${why} (0x${toHex(bf.m.bits.subarray(-4))} at the end)`);
      return pass(`${bf.m.bits.length} bytes for ${t.torrent.pieceCount} pieces`);
    },
  },
  {
    id: 'BEP3-STATE-1:starts-choked', order: 60, clause: 'BEP3-STATE-1', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'the connection starts choked: no piece data before an unchoke',
    async run(t, ctx) {
      const d = await download(t, ctx);
      requireHandshake(d.snap);
      const firstPiece = d.snap.log.findIndex((r) => r.m.type === 'piece');
      const firstUnchoke = d.snap.log.findIndex((r) => r.m.type === 'unchoke');
      if (firstPiece < 0) return cannotJudge('no piece received at all');
      expect(firstUnchoke >= 0 && firstUnchoke < firstPiece, 'piece data arrived before any unchoke');
      return pass();
    },
  },
  {
    id: 'BEP3-STATE-2:no-data-uninterested', clause: 'BEP3-STATE-2', level: 'desc', interop: false, suite: 'peer', style: 'exchange',
    title: 'a request from a peer that never said interested gets no data',
    async run(t, ctx) {
      const snap = await probe(t, ctx, (s, sn) => {
        for (const r of blocksOf(t, 0).slice(0, 2)) s.send({ type: 'request', ...r });
        sn.steps.push('sent 2 requests without interested');
      }, 2000, { fast: false }); // without BEP 6: allowed-fast pieces may legally be served while choked
      requireHandshake(snap);
      ctx.note(`messages: ${messagesLine(snap.log)}`);
      expect(!snap.log.some((r) => r.m.type === 'piece'), 'piece data was sent to a peer that was not interested');
      return pass();
    },
  },
  {
    id: 'BEP3-STATE-3:seed-not-interested', order: 60, clause: 'BEP3-STATE-3', level: 'must', suite: 'peer', style: 'exchange',
    title: 'a peer that has every piece never tells us (who have nothing) it is interested',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireHandshake(snap);
      if (announcedPieces(snap, t.torrent.pieceCount) !== 'all') return cannotJudge('the peer is not a seed');
      const d = await download(t, ctx);
      const bad = [...snap.log, ...d.snap.log].find((r) => r.m.type === 'interested');
      expect(!bad, 'a seed sent interested to a peer with no pieces');
      return pass();
    },
  },
  {
    id: 'BEP3-MSG-10:request-piece', order: 60, clause: 'BEP3-MSG-10', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'after interested and unchoke, each request is answered by a piece with the same index, begin and length',
    async run(t, ctx) {
      const d = await download(t, ctx);
      requireHandshake(d.snap);
      if (!d.unchoked) return cannotJudge(`never unchoked within ${t.unchokeTimeoutMs ?? 15_000} ms (${d.snap.closed?.reason ?? d.snap.protocolError ?? 'still choked'})`);
      const pieces = d.snap.log.filter((r) => r.m.type === 'piece').map((r) => r.m as Extract<PeerMessage, { type: 'piece' }>);
      for (const q of d.requested) {
        const got = pieces.find((p) => p.index === q.index && p.begin === q.begin);
        expect(got, `no piece for request (${q.index}, ${q.begin}, ${q.length}); received ${messagesLine(d.snap.log)}`);
        expect(got.block.length === q.length, `piece (${q.index}, ${q.begin}) carries ${got.block.length} bytes, we asked ${q.length}`);
      }
      return pass(`${d.requested.length} block(s) received`);
    },
  },
  {
    id: 'BEP3-META-5:piece-hash', order: 60, clause: 'BEP3-META-5', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'the blocks of the first and last piece hash to their SHA-1 in `pieces`',
    async run(t, ctx) {
      const d = await download(t, ctx);
      requireHandshake(d.snap);
      if (!d.unchoked) return cannotJudge('never unchoked');
      for (const i of new Set(d.requested.map((r) => r.index))) {
        const parts = blocksOf(t, i).map((b) => d.snap.log.find((r) => r.m.type === 'piece' && r.m.index === i && r.m.begin === b.begin && r.m.block.length === b.length));
        if (parts.some((p) => !p)) return cannotJudge(`piece ${i} incomplete`);
        const data = concatBytes(parts.map((p) => (p!.m as Extract<PeerMessage, { type: 'piece' }>).block));
        expect(bytesEqual(sha1(data), t.torrent.pieces.subarray(20 * i, 20 * i + 20)), `piece ${i} fails its hash`);
      }
      return pass();
    },
  },
  {
    id: 'BEP3-STATE-5:pipelining', order: 60, clause: 'BEP3-STATE-5', level: 'should', suite: 'peer', style: 'exchange',
    title: 'several pipelined requests are all answered',
    async run(t, ctx) {
      const d = await download(t, ctx);
      if (!d.unchoked) return cannotJudge('never unchoked');
      if (d.requested.length < 2) return cannotJudge('the torrent has a single block');
      const answered = d.requested.filter((q) => d.snap.log.some((r) => r.m.type === 'piece' && r.m.index === q.index && r.m.begin === q.begin)).length;
      expect(answered === d.requested.length, `${answered} of ${d.requested.length} pipelined requests answered`);
      return pass(`${answered} requests in flight at once, all answered`);
    },
  },
  {
    id: 'BEP3-MSG-11:cancel', order: 60, clause: 'BEP3-MSG-11', level: 'desc', interop: false, suite: 'peer', style: 'exchange',
    title: 'cancel is accepted (the connection stays open); what the peer still sends is reported',
    async run(t, ctx) {
      const d = await download(t, ctx);
      if (!d.unchoked) return cannotJudge('never unchoked');
      expect(d.openAfterCancel, `the peer closed after request + cancel: ${d.snap.closed?.reason ?? d.snap.protocolError}`);
      const c = d.cancelled;
      const sent = c.filter((q) => d.snap.log.some((r) => r.m.type === 'piece' && r.m.index === q.index && r.m.begin === q.begin && !d.requested.some((x) => x.index === q.index && x.begin === q.begin))).length;
      return pass(`${c.length} cancelled request(s); ${sent} still answered with data (a race the BEP allows)`);
    },
  },
  {
    id: 'BEP3-MSG-2:keepalive', order: 60, clause: 'BEP3-MSG-2', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'a keep-alive (length 0) is accepted',
    async run(t, ctx) {
      const d = await download(t, ctx);
      requireHandshake(d.snap);
      if (!d.unchoked) {
        const p = await probe(t, ctx, (s) => s.send({ type: 'keepalive' }));
        expect(!p.closed && !p.protocolError, `closed after a keep-alive: ${p.closed?.reason}`);
        return pass();
      }
      expect(d.openAfterCancel, `closed after a keep-alive: ${d.snap.closed?.reason}`);
      return pass();
    },
  },
  {
    id: 'BEP3-MSG-9:oversize-request', order: 60, clause: 'BEP3-MSG-9', level: 'desc', interop: false, suite: 'peer', style: 'exchange',
    title: 'a 256 KiB request (over 128 KiB) is not served (close, reject or ignore)',
    async run(t, ctx) {
      const d = await download(t, ctx);
      if (!d.unchoked || !d.oversize) return cannotJudge('never unchoked, or closed earlier');
      expect(d.oversize !== 'served', 'served a 256 KiB block');
      return pass(`the peer ${d.oversize === 'closed' ? 'closed the connection' : d.oversize === 'rejected' ? 'rejected it' : 'ignored it'}`);
    },
  },
  {
    id: 'BEP3-MSG-3:unknown-id', order: 90, clause: 'BEP3-MSG-3', level: 'desc', interop: false, suite: 'peer', style: 'exchange',
    title: 'a message with an unknown id (99) is ignored, not a reason to close',
    async run(t, ctx) {
      const snap = await probe(t, ctx, (s, sn) => {
        s.sendRaw(new Uint8Array([0, 0, 0, 4, 99, 1, 2, 3]));
        s.send({ type: 'interested' });
        sn.steps.push('sent id 99 (3 bytes), then interested');
      });
      requireHandshake(snap);
      expect(!snap.closed, `the peer closed: ${snap.closed?.reason}`);
      return pass();
    },
  },
];
