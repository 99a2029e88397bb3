import test from 'ava';
import fc from 'fast-check';
import { pieceSize } from '../metainfo/types.js';
import { StorageError } from '../util/errors.js';
import { emptyFilesByPiece, fileSpans, padRangesOfPiece, type Layout } from './file-spans.js';

/** Build a layout from file lengths; `pads` marks BEP 47 padding files. */
function layout(lengths: number[], pieceLength: number, pads: boolean[] = []): Layout {
  let offset = 0;
  const files = lengths.map((length, i) => {
    const f = { path: [`f${i}`], length, offset, attr: pads[i] ? 'p' : '' };
    offset += length;
    return f;
  });
  return { files, pieceLength, totalLength: offset, pieceCount: Math.ceil(offset / pieceLength) };
}

/** Brute-force model: the owning (file, offset) of every content byte. */
function owners(l: Layout): Array<{ file: number; off: number; pad: boolean }> {
  const out: Array<{ file: number; off: number; pad: boolean }> = [];
  l.files.forEach((f, i) => { for (let k = 0; k < f.length; k++) out.push({ file: i, off: k, pad: f.attr === 'p' }); });
  return out;
}

const layoutArb = fc.record({
  files: fc.array(fc.record({ len: fc.oneof(fc.constant(0), fc.nat(40)), pad: fc.boolean() }), { minLength: 1, maxLength: 12 }),
  pieceLength: fc.integer({ min: 1, max: 48 }),
}).map(({ files, pieceLength }) => layout(files.map((f) => f.len), pieceLength, files.map((f) => f.pad)))
  .filter((l) => l.totalLength > 0);

test('BEP3-META-9: spans of any range match the brute-force byte map', (t) => {
  fc.assert(fc.property(layoutArb, fc.nat(), fc.nat(), fc.nat(), (l, a, b, c) => {
    const index = a % l.pieceCount;
    const size = pieceSize(l, index);
    const begin = b % (size + 1);
    const length = c % (size - begin + 1);
    const spans = fileSpans(l, index, begin, length);
    const model = owners(l);
    let next = 0;
    spans.forEach((s, k) => {
      if (s.length <= 0) throw new Error('empty span');
      if (s.rangeOffset !== next) throw new Error('gap or overlap');
      if (k > 0 && spans[k - 1].fileIndex === s.fileIndex) throw new Error('span not maximal');
      for (let j = 0; j < s.length; j++) {
        const m = model[index * l.pieceLength + begin + s.rangeOffset + j];
        if (m.file !== s.fileIndex || m.off !== s.fileOffset + j || m.pad !== s.pad) throw new Error('wrong owner');
      }
      next += s.length;
    });
    return next === length;
  }), { numRuns: 1500 });
  t.pass();
});

test('BEP3-META-9: a piece runs across several files, skipping zero-length ones', (t) => {
  const l = layout([3, 0, 0, 2, 7], 4);
  t.deepEqual(fileSpans(l, 0, 0, 4).map((s) => [s.fileIndex, s.fileOffset, s.length]), [[0, 0, 3], [3, 0, 1]]);
  t.deepEqual(fileSpans(l, 1, 0, 4).map((s) => [s.fileIndex, s.fileOffset, s.length]), [[3, 1, 1], [4, 0, 3]]);
  t.is(pieceSize(l, 2), 4);
  t.deepEqual(fileSpans(l, 2, 1, 3).map((s) => [s.fileIndex, s.fileOffset, s.rangeOffset, s.length]), [[4, 4, 0, 3]]);
});

test('ranges outside the piece throw StorageError (fuzz: never anything else)', (t) => {
  const l = layout([5, 0, 9], 4);
  t.throws(() => fileSpans(l, 4, 0, 1), { instanceOf: StorageError }); // 4 pieces: 0..3
  t.throws(() => fileSpans(l, 3, 0, 3), { instanceOf: StorageError }); // last piece is 2 bytes
  t.throws(() => fileSpans(l, -1, 0, 1), { instanceOf: StorageError });
  t.throws(() => fileSpans(l, 0, 3, 2), { instanceOf: StorageError });
  const num = fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom(NaN, Infinity, 0.5, -0));
  fc.assert(fc.property(num, num, num, (i, b, n) => {
    try { fileSpans(l, i, b, n); return true; } catch (e) { return e instanceof StorageError; }
  }), { numRuns: 2000 });
  t.pass();
});

test('BEP 47: padding spans are flagged and padRangesOfPiece lists them per piece', (t) => {
  const l = layout([5, 3, 8, 2], 8, [false, true, false, true]);
  t.deepEqual(padRangesOfPiece(l, 0), [[5, 8]]);
  t.deepEqual(padRangesOfPiece(l, 1), []);
  t.deepEqual(padRangesOfPiece(l, 2), [[0, 2]]);
  fc.assert(fc.property(layoutArb, fc.nat(), (l2, a) => {
    const index = a % l2.pieceCount;
    const model = owners(l2);
    const pads = new Set<number>();
    for (const [s, e] of padRangesOfPiece(l2, index)) for (let k = s; k < e; k++) pads.add(k);
    for (let k = 0; k < pieceSize(l2, index); k++) if (model[index * l2.pieceLength + k].pad !== pads.has(k)) return false;
    return true;
  }), { numRuns: 500 });
});

test('zero-length files belong to exactly one piece: the one holding their offset, else the last', (t) => {
  const l = layout([0, 4, 0, 4, 0], 4);
  t.deepEqual([...emptyFilesByPiece(l).entries()], [[0, [0]], [1, [2, 4]]]);
  fc.assert(fc.property(layoutArb, (l2) => {
    const map = emptyFilesByPiece(l2);
    const seen = new Map<number, number>();
    for (const [p, list] of map) for (const f of list) seen.set(f, p);
    return l2.files.every((f, i) => {
      if (f.length !== 0 || f.attr === 'p') return !seen.has(i);
      const p = seen.get(i);
      if (p === undefined) return false;
      const start = p * l2.pieceLength, end = start + pieceSize(l2, p);
      return (f.offset >= start && f.offset < end) || (p === l2.pieceCount - 1 && f.offset === end);
    });
  }), { numRuns: 500 });
});
