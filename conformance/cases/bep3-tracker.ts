/**
 * BEP 3 HTTP tracker, tracker side (BEP3-TRK-5..7), plus the encoding of its replies
 * (BEP3-BENC-7: a tracker that writes unsorted keys breaks strict decoders).
 */
import { decode } from '../../core/bencode/decode.js';
import { isBytes, isDict, isList } from '../../core/bencode/types.js';
import type { ConformanceCase } from '../types.js';
import type { HttpTrackerTarget } from '../targets/types.js';
import { cannotJudge, expect, fail, pass } from '../verdicts.js';
import { announce, hashFor, replyDict, requireTracked } from './http-tracker-util.js';

type C = ConformanceCase<HttpTrackerTarget>;

export const httpTrackerCases: C[] = [
  {
    id: 'BEP3-TRK-6:interval-peers', clause: 'BEP3-TRK-6', level: 'must', suite: 'tracker-http', style: 'exchange',
    title: 'a successful announce reply has `interval` (integer) and `peers`',
    async run(t, ctx) {
      const r = await announce(t, ctx, { infoHash: hashFor(t, ctx), port: 6881, left: 1000, event: 'started', compact: 1 });
      expect(r.status === 200, `HTTP status ${r.status}`);
      const d = replyDict(r.body);
      requireTracked(t, d);
      expect(typeof d.interval === 'number' && d.interval >= 0, `interval is ${d.interval === undefined ? 'missing' : 'not a non-negative integer'}`);
      expect(d.peers !== undefined, '`peers` is missing');
      expect(isBytes(d.peers) || isList(d.peers), '`peers` is neither a string nor a list');
      return pass(`interval ${d.interval}`);
    },
  },
  {
    id: 'BEP3-TRK-5:failure-reason', clause: 'BEP3-TRK-5', level: 'desc', interop: false, suite: 'tracker-http', style: 'exchange',
    title: 'an announce without info_hash gets a dict with a `failure reason` string',
    async run(t, ctx) {
      const r = await announce(t, ctx, { infoHash: ctx.rng.bytes(20), port: 6881, left: 1000, compact: 1, omit: ['info_hash'] });
      let d;
      try { d = decode(r.body, { strict: false }); } catch { return fail(`reply to a request without info_hash is not bencode (HTTP ${r.status}): no failure reason`); }
      expect(isDict(d), 'reply is not a dictionary');
      expect(isBytes(d['failure reason']), 'no `failure reason` string in the reply to a request without info_hash');
      expect(d.peers === undefined, 'a failure reply also carries peers');
      return pass();
    },
  },
  {
    id: 'BEP3-BENC-7:sorted-reply', clause: 'BEP3-BENC-7', level: 'must', suite: 'tracker-http', style: 'exchange',
    title: 'the announce reply is canonical bencode: dict keys sorted as raw bytes',
    async run(t, ctx) {
      const r = await announce(t, ctx, { infoHash: hashFor(t, ctx), port: 6881, left: 1000, event: 'started', compact: 1 });
      try { decode(r.body, { strict: true }); } catch (e) { expect(false, `reply is not canonical bencode: ${(e as Error).message}`); }
      return pass();
    },
  },
  {
    id: 'BEP3-TRK-7:dict-peers', clause: 'BEP3-TRK-7', level: 'desc', interop: false, suite: 'tracker-http', style: 'exchange',
    title: 'with compact=0, a list of peers has {ip, port} dicts (a packed answer is allowed, BEP23-2)',
    async run(t, ctx) {
      const hash = hashFor(t, ctx);
      const portA = 20000 + ctx.rng.int(20000);
      const first = replyDict((await announce(t, ctx, { infoHash: hash, port: portA, left: 0, event: 'started', compact: 0 })).body);
      requireTracked(t, first);
      const d = replyDict((await announce(t, ctx, { infoHash: hash, port: portA + 1, left: 1000, event: 'started', compact: 0, numwant: 50 })).body);
      if (isBytes(d.peers)) return cannotJudge('answered compact=0 with packed peers (allowed by BEP23-2)');
      expect(isList(d.peers), '`peers` is missing or not a list');
      for (const p of d.peers) {
        expect(isDict(p), 'a peers entry is not a dictionary');
        expect(isBytes(p.ip), 'a peers entry has no `ip` string');
        expect(typeof p.port === 'number' && p.port >= 1 && p.port <= 65535, 'a peers entry has no valid `port`');
      }
      expect(d.peers.length > 0, `the first peer (port ${portA}) is not listed`);
      return pass(`${d.peers.length} peer dict(s)`);
    },
  },
];
