/**
 * BEP 6 fast extension, when the peer offers it. CONFORMANCE.md lists BEP 6 among the
 * neighbours without clause ids; these cases use BEP6-FAST-1 (first message) and BEP6-FAST-2
 * (every request answered by piece or reject) until the catalogue names them.
 */
import type { ConformanceCase } from '../types.js';
import type { PeerTarget } from '../targets/types.js';
import { describeMessage } from '../channels/peer-session.js';
import { expect, notImplemented, pass } from '../verdicts.js';
import { blocksOf, opening, probe, requireHandshake } from './peer-util.js';

type C = ConformanceCase<PeerTarget>;

export const fastCases: C[] = [
  {
    id: 'BEP6-FAST-1:first-message', clause: 'BEP6-FAST-1', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'with fast negotiated, the first message is bitfield, have_all or have_none',
    async run(t, ctx) {
      const snap = await opening(t, ctx);
      requireHandshake(snap);
      if (!snap.fast) notImplemented('the peer does not set the fast bit');
      const first = snap.log.find((r) => r.m.type !== 'extended' && r.m.type !== 'port' && r.m.type !== 'keepalive');
      expect(first, 'no message at all in the opening');
      expect(first.m.type === 'bitfield' || first.m.type === 'have_all' || first.m.type === 'have_none', `first message is ${describeMessage(first.m)}`);
      const af = snap.log.filter((r) => r.m.type === 'allowed_fast').map((r) => (r.m as { index: number }).index);
      if (af.length) expect(af.every((i) => i < t.torrent.pieceCount), `allowed_fast index out of range: ${af.join(', ')}`);
      return pass(`${describeMessage(first.m)}${af.length ? `; allowed_fast ${af.join(', ')}` : ''}`);
    },
  },
  {
    id: 'BEP6-FAST-2:reject-when-choked', clause: 'BEP6-FAST-2', level: 'desc', suite: 'peer', style: 'exchange',
    title: 'with fast negotiated, a request while choked is answered by reject (or by piece if allowed fast)',
    async run(t, ctx) {
      const snap = await probe(t, ctx, (s, sn) => {
        if (!sn.fast) return;
        const allowed = new Set(s.log.filter((r) => r.m.type === 'allowed_fast').map((r) => (r.m as { index: number }).index));
        const unchoked = s.log.some((r) => r.m.type === 'unchoke');
        if (unchoked) { sn.steps.push('already unchoked: nothing to check'); return; }
        let i = 0;
        while (allowed.has(i) && i < t.torrent.pieceCount - 1) i++;
        const r = blocksOf(t, i)[0];
        s.send({ type: 'request', ...r });
        sn.steps.push(`sent request (${r.index}, ${r.begin}, ${r.length}) while choked`);
      }, 2000);
      requireHandshake(snap);
      if (!snap.fast) notImplemented('the peer does not set the fast bit');
      if (!snap.steps.some((x) => x.startsWith('sent request'))) return pass('the peer unchoked at once; nothing to check');
      const ans = snap.log.find((r) => r.m.type === 'reject' || r.m.type === 'piece');
      expect(ans, 'the request got neither a reject nor a piece');
      return pass(describeMessage(ans.m));
    },
  },
];
