/** BEP 23 compact peer lists (and BEP 7 `peers6`) in HTTP tracker replies. */
import { isBytes, isList } from '../../core/bencode/types.js';
import type { ConformanceCase } from '../types.js';
import type { HttpTrackerTarget } from '../targets/types.js';
import { cannotJudge, expect, info, pass } from '../verdicts.js';
import { announce, hashFor, replyDict, requireTracked } from './http-tracker-util.js';

type C = ConformanceCase<HttpTrackerTarget>;

export const compactPeerCases: C[] = [
  {
    id: 'BEP23-4:multiple-of-6', clause: 'BEP23-4', level: 'desc', suite: 'tracker-http', style: 'exchange',
    title: 'compact=1: packed `peers` is 6 bytes per peer, the second peer sees the first',
    async run(t, ctx) {
      const hash = hashFor(t, ctx);
      const portA = 20000 + ctx.rng.int(20000);
      const first = replyDict((await announce(t, ctx, { infoHash: hash, port: portA, left: 0, event: 'started', compact: 1 })).body);
      requireTracked(t, first);
      const d = replyDict((await announce(t, ctx, { infoHash: hash, port: portA + 1, left: 1000, event: 'started', compact: 1, numwant: 50 })).body);
      if (isList(d.peers)) return cannotJudge('answered compact=1 with a list (allowed by BEP23-2)');
      expect(isBytes(d.peers), '`peers` is missing');
      expect(d.peers.length % 6 === 0, `packed peers are ${d.peers.length} bytes: not a multiple of 6`);
      const ports: number[] = [];
      for (let o = 0; o + 6 <= d.peers.length; o += 6) ports.push((d.peers[o + 4] << 8) | d.peers[o + 5]);
      ctx.note(`ports listed: ${ports.join(' ') || '(none)'}`);
      expect(ports.includes(portA), `the first peer (port ${portA}) is not in the packed list`);
      return pass();
    },
  },
  {
    id: 'BEP23-2:compact-0', clause: 'BEP23-2', level: 'desc', interop: false, suite: 'tracker-http', style: 'exchange',
    title: 'which form the tracker answers to compact=0 and to no compact parameter (either is allowed)',
    async run(t, ctx) {
      const hash = hashFor(t, ctx);
      const r0 = replyDict((await announce(t, ctx, { infoHash: hash, port: 6881, left: 1000, compact: 0 })).body);
      requireTracked(t, r0);
      const rd = replyDict((await announce(t, ctx, { infoHash: hash, port: 6882, left: 1000 })).body);
      const form = (p: unknown) => (isBytes(p as never) ? 'packed' : isList(p as never) ? 'list' : 'none');
      return info(`compact=0 → ${form(r0.peers)}; no parameter → ${form(rd.peers)} (BEP23-1 suggests packed as the default)`);
    },
  },
  {
    id: 'BEP23-5:peers6', clause: 'BEP23-5', level: 'MAY', suite: 'tracker-http', style: 'exchange',
    title: '`peers6`, when present, is 18 bytes per peer',
    async run(t, ctx) {
      const d = replyDict((await announce(t, ctx, { infoHash: hashFor(t, ctx), port: 6881, left: 1000, event: 'started', compact: 1 })).body);
      requireTracked(t, d);
      if (d.peers6 === undefined) return cannotJudge('no `peers6` in the reply');
      expect(isBytes(d.peers6) && d.peers6.length % 18 === 0, `peers6 is not a string of 18-byte entries`);
      return pass();
    },
  },
];
