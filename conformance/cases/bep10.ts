/** BEP 10 extension protocol against a peer: the bit, the extension handshake, message ids. */
import { encodeExtHandshake } from '../../core/extension/handshake.js';
import { isBytes, isDict } from '../../core/bencode/types.js';
import type { ConformanceCase } from '../types.js';
import type { PeerTarget } from '../targets/types.js';
import { cannotJudge, expect, fail, notImplemented, pass } from '../verdicts.js';
import { fetchMetadata, opening, OUR_UT_METADATA_ID, probe, requireHandshake, type Snapshot } from './peer-util.js';

type C = ConformanceCase<PeerTarget>;

function requireExt(snap: Snapshot): void {
  requireHandshake(snap);
  if (!snap.ext) notImplemented('the peer does not set the extension bit (BEP10-BIT-1)');
}

export const extensionCases: C[] = [
  {
    id: 'BEP10-HS-5:sent', clause: 'BEP10-HS-5', level: 'should', suite: 'peer', style: 'exchange',
    title: 'with the bit on both sides, the peer sends its extension handshake right after the BitTorrent handshake',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireExt(snap);
      const i = snap.log.findIndex((r) => r.m.type === 'extended' && r.m.id === 0);
      expect(i >= 0, 'no extension handshake in the opening');
      return pass(i === 0 ? 'first message' : `message #${i + 1}`);
    },
  },
  {
    id: 'BEP10-HS-1:dict', clause: 'BEP10-HS-1', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'the extension handshake payload is a bencoded dictionary',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireExt(snap);
      if (!snap.extHandshake) return cannotJudge('no extension handshake received');
      expect(snap.extHandshake.dict, `payload is not a bencoded dict: ${snap.extHandshake.error}`);
      return pass(`keys: ${Object.keys(snap.extHandshake.dict).join(', ')}`);
    },
  },
  {
    id: 'BEP10-HS-2:ids', clause: 'BEP10-HS-2', level: 'desc', suite: 'peer', style: 'exchange',
    title: '`m` maps names to ids 0..255 and no two enabled names share an id',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireExt(snap);
      const d = snap.extHandshake?.dict;
      if (!d) return cannotJudge('no extension handshake dict');
      if (d.m === undefined) return pass('no `m` (no extensions)');
      expect(isDict(d.m), '`m` is not a dictionary');
      const seen = new Map<number, string>();
      for (const [name, id] of Object.entries(d.m)) {
        expect(typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= 255, `m.${name} = ${String(id)} is not an id in 0..255`);
        if (id === 0) continue;
        expect(!seen.has(id), `m.${name} and m.${seen.get(id)} share id ${id}`);
        seen.set(id, name);
      }
      return pass(Object.entries(d.m).map(([k, v]) => `${k}=${String(v)}`).join(' '));
    },
  },
  {
    id: 'BEP10-HS-3:our-ids', clause: 'BEP10-HS-3', level: 'must', suite: 'peer', style: 'exchange',
    title: `the peer sends ut_metadata to us under the id WE chose (${OUR_UT_METADATA_ID}), not its own`,
    async run(t, ctx) {
      const f = await fetchMetadata(t, ctx);
      requireExt(f.snap);
      if (!f.remoteId) notImplemented('the peer does not offer ut_metadata');
      if (f.replies.length === 0) return cannotJudge('no ut_metadata reply at all');
      const wrong = f.replies.filter((r) => r.extId !== OUR_UT_METADATA_ID);
      expect(wrong.length === 0, `replies arrived under extended id(s) ${[...new Set(wrong.map((r) => r.extId))].join(', ')}, we asked for ${OUR_UT_METADATA_ID}`);
      return pass(`${f.replies.length} replies under id ${OUR_UT_METADATA_ID} (the peer's own id is ${f.remoteId})`);
    },
  },
  {
    id: 'BEP10-HS-6:second-handshake', clause: 'BEP10-HS-6', level: 'should', suite: 'peer', style: 'exchange',
    title: 'a later extension handshake is valid: the peer does not disconnect',
    async run(t, ctx) {
      const snap = await probe(t, ctx, (s, sn) => {
        if (!sn.ext) return;
        s.send({ type: 'extended', id: 0, payload: encodeExtHandshake({ m: { ut_metadata: OUR_UT_METADATA_ID, lt_donthave: 0 }, reqq: 100 }) });
        sn.steps.push('sent a second extension handshake');
      });
      requireExt(snap);
      if (snap.closed || snap.protocolError) fail(`the peer ended the connection: ${snap.closed?.reason ?? snap.protocolError}`);
      return pass();
    },
  },
  {
    id: 'BEP10-NAME-1:prefix', clause: 'BEP10-NAME-1', level: 'should', suite: 'peer', style: 'exchange',
    title: 'extension names carry a short client prefix (`ut_`, `lt_`)',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireExt(snap);
      const m = snap.extHandshake?.dict?.m;
      if (!isDict(m)) return cannotJudge('no `m` dictionary');
      const bare = Object.keys(m).filter((n) => !/^[A-Za-z0-9]{1,3}_/.test(n));
      expect(bare.length === 0, `names without a client prefix: ${bare.join(', ')}`);
      return pass();
    },
  },
  {
    id: 'BEP10-HS-4:fields', clause: 'BEP10-HS-4', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'optional handshake fields, when present, have their types (p int, v string, reqq int, yourip 4/16 bytes)',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireExt(snap);
      const d = snap.extHandshake?.dict;
      if (!d) return cannotJudge('no extension handshake dict');
      if (d.p !== undefined) expect(typeof d.p === 'number' && d.p >= 0 && d.p <= 65535, '`p` is not a port number');
      if (d.v !== undefined) expect(isBytes(d.v), '`v` is not a string');
      if (d.reqq !== undefined) expect(typeof d.reqq === 'number' && d.reqq > 0, '`reqq` is not a positive integer');
      if (d.yourip !== undefined) expect(isBytes(d.yourip) && (d.yourip.length === 4 || d.yourip.length === 16), '`yourip` is not 4 or 16 bytes');
      return pass([d.v !== undefined && isBytes(d.v) ? `v=${JSON.stringify(Buffer.from(d.v).toString())}` : '', d.reqq !== undefined ? `reqq=${String(d.reqq)}` : ''].filter(Boolean).join(' ') || undefined);
    },
  },
];
