/** BEP 9 ut_metadata against a peer: advertisement, piece layout, hash, replies, unknown types. */
import { METADATA_PIECE_SIZE } from '../../core/metadata/messages.js';
import { bytesEqual, concatBytes, toHex } from '../../core/util/bytes.js';
import { sha1 } from '../../core/util/sha1.js';
import type { ConformanceCase } from '../types.js';
import type { PeerTarget } from '../targets/types.js';
import { cannotJudge, expect, notImplemented, pass } from '../verdicts.js';
import { fetchMetadata, opening, requireHandshake, type MetadataFetch } from './peer-util.js';

type C = ConformanceCase<PeerTarget>;

async function metadata(t: PeerTarget, ctx: Parameters<C['run']>[1]): Promise<MetadataFetch> {
  const f = await fetchMetadata(t, ctx);
  requireHandshake(f.snap);
  if (!f.snap.ext) notImplemented('no extension protocol (BEP10-BIT-1)');
  if (!f.remoteId) notImplemented('ut_metadata not offered in `m`');
  return f;
}

const dataReplies = (f: MetadataFetch) => f.replies.filter((r) => r.dict?.msg_type === 1);

export const metadataCases: C[] = [
  {
    id: 'BEP9-HS-1:advertised', clause: 'BEP9-HS-1', level: 'desc', interop: false, suite: 'peer', style: 'exchange',
    title: 'ut_metadata is advertised in the extension handshake\'s `m`',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireHandshake(snap);
      if (!snap.ext) notImplemented('no extension protocol');
      const m = snap.extHandshake?.dict?.m as Record<string, unknown> | undefined;
      if (!m || !m.ut_metadata) notImplemented('ut_metadata not in `m`');
      return pass(`ut_metadata = ${String(m.ut_metadata)}`);
    },
  },
  {
    id: 'BEP9-HS-2:metadata-size', clause: 'BEP9-HS-2', level: 'desc', suite: 'peer', style: 'exchange',
    title: '`metadata_size` is in the handshake and equals the size of the info dict',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireHandshake(snap);
      const d = snap.extHandshake?.dict;
      if (!d || !(d.m as Record<string, unknown> | undefined)?.ut_metadata) notImplemented('ut_metadata not offered');
      expect(typeof d.metadata_size === 'number', '`metadata_size` is missing though ut_metadata is offered');
      if (!t.torrent.rawInfo) return pass(`metadata_size ${d.metadata_size} (info size unknown to the harness)`);
      expect(d.metadata_size === t.torrent.rawInfo.length, `metadata_size ${d.metadata_size} ≠ info dict size ${t.torrent.rawInfo.length}`);
      return pass();
    },
  },
  {
    id: 'BEP9-MSG-6:data-layout', clause: 'BEP9-MSG-6', level: 'MUST', suite: 'peer', style: 'exchange',
    title: 'a data message is {msg_type 1, piece, total_size} followed by the raw piece bytes in the same message',
    async run(t, ctx) {
      const f = await metadata(t, ctx);
      const data = dataReplies(f);
      if (data.length === 0) return cannotJudge(`no data replies (${f.replies.length} replies)`);
      for (const r of data) {
        expect(typeof r.dict!.total_size === 'number', `data for piece ${String(r.dict!.piece)} has no total_size`);
        expect(r.dict!.total_size === f.size, `total_size ${String(r.dict!.total_size)} ≠ metadata_size ${f.size}`);
        expect(r.trailing.length > 0, `data for piece ${String(r.dict!.piece)} carries no bytes after the dict`);
      }
      return pass(`${data.length} data message(s)`);
    },
  },
  {
    id: 'BEP9-META-2:piece-sizes', clause: 'BEP9-META-2', level: 'MUST', suite: 'peer', style: 'exchange',
    title: 'metadata pieces are 16384 bytes from index 0, only the last shorter',
    async run(t, ctx) {
      const f = await metadata(t, ctx);
      const size = f.size!;
      const count = Math.ceil(size / METADATA_PIECE_SIZE);
      for (const r of dataReplies(f)) {
        const p = r.dict!.piece as number;
        const want = p === count - 1 ? size - p * METADATA_PIECE_SIZE : METADATA_PIECE_SIZE;
        expect(r.trailing.length === want, `piece ${p} is ${r.trailing.length} bytes, expected ${want}`);
      }
      return pass(`${count} piece(s) for ${size} bytes`);
    },
  },
  {
    id: 'BEP9-META-1:hash', clause: 'BEP9-META-1', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'the assembled metadata is the info dict whose SHA-1 is the info hash',
    async run(t, ctx) {
      const f = await metadata(t, ctx);
      const count = Math.ceil(f.size! / METADATA_PIECE_SIZE);
      const parts: Uint8Array[] = [];
      for (let p = 0; p < count; p++) {
        const r = dataReplies(f).find((x) => x.dict!.piece === p);
        if (!r) return cannotJudge(`piece ${p} never arrived (rejected or silent)`);
        parts.push(r.trailing);
      }
      const all = concatBytes(parts);
      const h = sha1(all);
      expect(bytesEqual(h, t.torrent.infoHash), `assembled metadata hashes to ${toHex(h)}, not the info hash ${toHex(t.torrent.infoHash)}`);
      return pass();
    },
  },
  {
    id: 'BEP9-MSG-4:same-piece', clause: 'BEP9-MSG-4', level: 'MUST', suite: 'peer', style: 'exchange',
    title: 'each reply (data or reject) carries the piece that was asked; past the end → reject',
    async run(t, ctx) {
      const f = await metadata(t, ctx);
      const asked = new Set([...f.requestedPieces, f.outOfRange]);
      for (const r of f.replies) {
        if (!r.dict || (r.dict.msg_type !== 1 && r.dict.msg_type !== 2)) continue;
        expect(typeof r.dict.piece === 'number' && asked.has(r.dict.piece), `a reply names piece ${String(r.dict.piece)}, which we never asked for`);
      }
      const past = f.replies.find((r) => r.dict?.piece === f.outOfRange);
      if (past) expect(past.dict!.msg_type === 2, `piece ${f.outOfRange} (past the end) was answered with msg_type ${String(past.dict!.msg_type)}, not a reject`);
      return pass(past ? 'out-of-range piece rejected' : 'out-of-range piece ignored');
    },
  },
  {
    id: 'BEP9-MSG-7:reject-keys', clause: 'BEP9-MSG-7', level: 'SHOULD', suite: 'peer', style: 'exchange',
    title: 'a reject carries no keys beyond msg_type and piece',
    async run(t, ctx) {
      const f = await metadata(t, ctx);
      const rejects = f.replies.filter((r) => r.dict?.msg_type === 2);
      if (rejects.length === 0) return cannotJudge('no reject received');
      for (const r of rejects) {
        const extra = Object.keys(r.dict!).filter((k) => k !== 'msg_type' && k !== 'piece');
        expect(extra.length === 0, `reject carries extra keys: ${extra.join(', ')}`);
      }
      return pass();
    },
  },
  {
    id: 'BEP9-MSG-3:unknown-type', clause: 'BEP9-MSG-3', level: 'MUST', suite: 'peer', style: 'exchange',
    title: 'an unknown msg_type (7) is ignored: no disconnect',
    async run(t, ctx) {
      const f = await metadata(t, ctx);
      expect(!f.snap.closed, `the peer closed the connection: ${f.snap.closed?.reason}`);
      return pass();
    },
  },
];
