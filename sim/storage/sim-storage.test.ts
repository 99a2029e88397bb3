import test from 'ava';
import fc from 'fast-check';
import { Kernel, type NodeCtx } from '../kernel/kernel.js';
import { createSimStorage } from './sim-storage.js';
import { isBadData, isVirtualGood, virtualBlock } from './virtual-data.js';
import type { TorrentInfo } from '../../core/metainfo/types.js';
import type { OpenedStore } from '../../core/seam/storage.js';
import { StorageError } from '../../core/util/errors.js';

const B = 16384;

/** A fake info: 3 pieces of 2 blocks, last piece 1.5 blocks. */
function info(pieceLength = 2 * B, totalLength = 5.5 * B): TorrentInfo {
  const pieceCount = Math.ceil(totalLength / pieceLength);
  return {
    infoHash: new Uint8Array(20), infoHashHex: '00'.repeat(20), name: 'toy', pieceLength,
    pieces: new Uint8Array(20 * pieceCount), pieceCount, totalLength,
    files: [{ path: ['toy'], length: totalLength, offset: 0, attr: '' }], multiFile: false, private: false, rawInfo: new Uint8Array(0),
  };
}

function open(opts: Parameters<typeof createSimStorage>[2] = {}, i = info()) {
  const k = new Kernel();
  const ctx: NodeCtx = { id: 'n', alive: true };
  const p = createSimStorage(k, ctx, opts);
  let opened: OpenedStore | undefined;
  p.open(i, (e, o) => { opened = o; });
  k.run();
  return { k, p, store: opened!.store, have: opened!.have };
}

/** Run a callback-style call to completion and return its results. */
function call<T extends unknown[]>(k: Kernel, f: (done: (...r: T) => void) => void): T {
  let out: T | undefined;
  f((...r) => { out = r; });
  k.run();
  if (!out) throw new Error('callback never ran');
  return out;
}

test('virtualBlock: views of two shared buffers, told apart by the oracle, no copies', (t) => {
  const g = virtualBlock(B, false), g2 = virtualBlock(100, false), b = virtualBlock(B, true);
  t.is(g.buffer, g2.buffer);
  t.true(isVirtualGood(g) && !isBadData(g));
  t.true(isBadData(b) && !isVirtualGood(b));
  t.is(b[0], 0xff);
  t.is(g[0], 0);
  t.false(isBadData(new Uint8Array(B)), 'real data is not bad');
  const huge = virtualBlock(4 * 1024 * 1024, true); // grows, old views stay recognisable
  t.true(isBadData(huge) && isBadData(b));
});

test('storage: a seed opens with every piece and reads return good views', (t) => {
  const { k, store, have } = open({ seed: true });
  t.deepEqual(have, [true, true, true]);
  const [err, data] = call<[Error | null, Uint8Array?]>(k, (d) => store.read(2, B, B / 2, d));
  t.is(err, null);
  t.is(data!.length, B / 2);
  t.true(isVirtualGood(data!));
});

test('storage: a bad node reads out bad views; a leecher cannot read what it lacks', (t) => {
  const bad = open({ seed: true, bad: true });
  const [, data] = call<[Error | null, Uint8Array?]>(bad.k, (d) => bad.store.read(0, 0, B, d));
  t.true(isBadData(data!));
  const lee = open();
  t.deepEqual(lee.have, [false, false, false]);
  const [err] = call<[Error | null]>(lee.k, (d) => lee.store.read(0, 0, B, d));
  t.true(err instanceof StorageError);
});

test('storage: verify passes iff all blocks came from good data since the last verify', (t) => {
  const { k, store, p } = open();
  const w = (i: number, begin: number, len: number, bad = false) => call<[Error | null]>(k, (d) => store.write(i, begin, virtualBlock(len, bad), d))[0];
  const v = (i: number) => call<[Error | null, boolean?]>(k, (d) => store.verify(i, d))[1];
  t.is(w(0, 0, B), null);
  t.false(v(0), 'incomplete piece fails');
  t.is(w(0, 0, B), null); // discarded by the failed verify: write again
  t.is(w(0, B, B, true), null);
  t.false(v(0), 'one bad block fails the piece');
  t.is(w(0, 0, B), null);
  t.is(w(0, B, B), null);
  t.is(w(0, B, B), null); // rewriting a block is fine
  t.true(v(0));
  t.true(v(0), 'a complete piece stays verified');
  t.is(w(2, 0, B), null);
  t.is(w(2, B, B / 2), null); // the short tail block
  t.true(v(2));
  const [, data] = call<[Error | null, Uint8Array?]>(k, (d) => store.read(2, 0, B, d));
  t.true(isVirtualGood(data!));
  t.deepEqual({ ok: p.stats.verifiedOk, bad: p.stats.verifiedBad }, { ok: 2, bad: 2 });
});

test('storage: misaligned or out-of-range blocks are StorageErrors, never silent', (t) => {
  const { k, store } = open();
  const w = (i: number, begin: number, len: number) => call<[Error | null]>(k, (d) => store.write(i, begin, virtualBlock(len, false), d))[0];
  t.true(w(0, 100, B) instanceof StorageError);
  t.true(w(0, 0, B - 1) instanceof StorageError);
  t.true(w(0, B, 2 * B) instanceof StorageError);
  t.true(w(3, 0, B) instanceof StorageError);
  t.true(w(2, B, B) instanceof StorageError, 'past the end of the short last piece');
});

test('storage: completions are kernel events, after the disk delay, in call order', (t) => {
  const k = new Kernel();
  const p = createSimStorage(k, { id: 'n', alive: true }, { diskDelayMs: 5, seed: true });
  const log: string[] = [];
  p.open(info(), (e, o) => {
    log.push(`open@${k.now}`);
    o!.store.read(0, 0, B, () => log.push(`read@${k.now}`));
    o!.store.verify(1, () => log.push(`verify@${k.now}`));
    log.push('sync');
  });
  t.deepEqual(log, []);
  k.run();
  t.deepEqual(log, ['open@5', 'sync', 'read@10', 'verify@10']);
});

test('storage: random write/verify sequences agree with a reference model (property)', (t) => {
  fc.assert(fc.property(
    fc.array(fc.record({ op: fc.constantFrom('w', 'w', 'w', 'v'), piece: fc.integer({ min: 0, max: 2 }), block: fc.integer({ min: 0, max: 1 }), bad: fc.boolean() }), { maxLength: 60 }),
    (ops) => {
      const { k, store } = open();
      const sizes = [2 * B, 2 * B, 1.5 * B];
      const model = sizes.map(() => ({ got: new Set<number>(), bad: false, done: false }));
      for (const o of ops) {
        const m = model[o.piece];
        if (o.op === 'w') {
          const begin = o.block * B;
          const len = Math.min(B, sizes[o.piece] - begin);
          call(k, (d) => store.write(o.piece, begin, virtualBlock(len, o.bad), d));
          if (!m.done) { m.got.add(o.block); m.bad ||= o.bad; }
        } else {
          const [, ok] = call<[Error | null, boolean?]>(k, (d) => store.verify(o.piece, d));
          const expect = m.done || (m.got.size === 2 && !m.bad);
          if (ok !== expect) return false;
          if (expect) m.done = true;
          else { m.got.clear(); m.bad = false; }
        }
      }
      return true;
    },
  ), { numRuns: 200 });
  t.pass();
});
