/**
 * BEP 3 metainfo (BEP3-META-*) against a .torrent parser: malformed files are refused, piece
 * geometry is read right, and the info hash is over the raw info bytes (BEP3-META-11).
 */
import fc from 'fast-check';
import { BRaw, encode, type Encodable } from '../../core/bencode/encode.js';
import { mutatedArb } from '../../core/bencode/arbitrary.js';
import { bytesEqual, toHex, utf8 } from '../../core/util/bytes.js';
import { sha1 } from '../../core/util/sha1.js';
import { checkProperty } from '../property.js';
import type { ConformanceCase } from '../types.js';
import type { MetainfoTarget, ParsedTorrentView } from '../targets/types.js';
import { expect, pass } from '../verdicts.js';

type C = ConformanceCase<MetainfoTarget>;

const pieces = (n: number): Uint8Array => new Uint8Array(20 * n).map((_, i) => (i * 7 + 3) & 255);

/** A well-formed single-file info dict with `total` bytes in pieces of `pl`. */
function singleInfo(total: number, pl: number, extra: Record<string, Encodable> = {}): Record<string, Encodable> {
  return { name: 'file.bin', 'piece length': pl, pieces: pieces(Math.ceil(total / pl)), length: total, ...extra };
}

function torrent(info: Encodable | BRaw, top: Record<string, Encodable> = {}): Uint8Array {
  return encode({ announce: 'http://127.0.0.1:6969/announce', info: info as Encodable, ...top });
}

function tryParse(t: MetainfoTarget, b: Uint8Array): { ok: true; v: ParsedTorrentView } | { ok: false; err: unknown } {
  try { return { ok: true, v: t.parse(b) }; } catch (err) { return { ok: false, err }; }
}

function mustReject(t: MetainfoTarget, b: Uint8Array, why: string): void {
  const r = tryParse(t, b);
  expect(!r.ok, `a torrent with ${why} was accepted`);
  if (t.isTypedError) expect(t.isTypedError(r.err), `a torrent with ${why} raised an untyped error: ${String(r.err)}`);
}

function mustAccept(t: MetainfoTarget, b: Uint8Array, what: string): ParsedTorrentView {
  const r = tryParse(t, b);
  expect(r.ok, `${what} was rejected: ${r.ok ? '' : (r.err as Error)?.message ?? String(r.err)}`);
  return r.v;
}

export const metainfoCases: C[] = [
  {
    id: 'BEP3-META-1:top-level', clause: 'BEP3-META-1', level: 'desc', suite: 'metainfo', style: 'exchange',
    title: 'a torrent is a dict with `info`; no info, or a non-dict info, is refused',
    async run(t) {
      mustAccept(t, torrent(singleInfo(1000, 256)), 'a minimal single-file torrent');
      mustReject(t, encode({ announce: 'http://x/announce' }), 'no info dict');
      mustReject(t, encode({ announce: 'http://x/announce', info: 'oops' }), 'info as a string');
      mustReject(t, encode([1, 2]), 'a list at the top');
      return pass();
    },
  },
  {
    id: 'BEP3-META-5:pieces-multiple-of-20', clause: 'BEP3-META-5', level: 'desc', suite: 'metainfo', style: 'exchange',
    title: '`pieces` whose length is not a multiple of 20 is refused',
    async run(t) {
      mustReject(t, torrent({ ...singleInfo(1000, 256), pieces: pieces(4).subarray(0, 79) }), 'a 79-byte pieces string');
      return pass();
    },
  },
  {
    id: 'BEP3-META-6:length-xor-files', clause: 'BEP3-META-6', level: 'desc', suite: 'metainfo', style: 'exchange',
    title: 'exactly one of `length` and `files`',
    async run(t) {
      mustReject(t, torrent({ ...singleInfo(1000, 256), files: [{ length: 1000, path: ['a'] }] }), 'both length and files');
      const { length: _l, ...neither } = singleInfo(1000, 256);
      void _l;
      mustReject(t, torrent(neither), 'neither length nor files');
      return pass();
    },
  },
  {
    id: 'BEP3-META-8:empty-path', clause: 'BEP3-META-8', level: 'desc', suite: 'metainfo', style: 'exchange',
    title: 'multi-file: an empty path list is an error',
    async run(t) {
      const info = { name: 'dir', 'piece length': 256, pieces: pieces(4), files: [{ length: 1000, path: [] }] };
      mustReject(t, torrent(info), 'an empty path');
      return pass();
    },
  },
  {
    id: 'BEP3-META-8:unsafe-path', clause: 'BEP3-META-8', level: 'derived', suite: 'metainfo', style: 'exchange',
    title: 'path components `..`, `.`, empty, or holding `/`, `\\` or NUL are refused (never escape the folder)',
    async run(t, ctx) {
      for (const bad of [['..', 'x'], ['.'], ['a', ''], ['a/b'], ['a\\b'], ['a\u0000b'], ['/etc']]) {
        const info = { name: 'dir', 'piece length': 256, pieces: pieces(4), files: [{ length: 1000, path: bad }] };
        mustReject(t, torrent(info), `path ${JSON.stringify(bad)}`);
      }
      mustReject(t, torrent({ ...singleInfo(1000, 256), name: '..' }), 'name ".."');
      ctx.note('7 unsafe paths and name ".." refused');
      return pass();
    },
  },
  {
    id: 'BEP3-META-10:piece-count', clause: 'BEP3-META-10', level: 'derived', suite: 'metainfo', style: 'property',
    title: 'piece count = ceil(total / piece length) = len(pieces)/20; a mismatch is refused',
    async run(t, ctx) {
      await checkProperty(ctx, fc.property(
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 2048 }),
        (lengths, pl) => {
          const total = lengths.reduce((a, x) => a + x, 0);
          const n = Math.ceil(total / pl);
          const info = { name: 'dir', 'piece length': pl, pieces: pieces(n), files: lengths.map((length, i) => ({ length, path: [`f${i}`] })) };
          const v = t.parse(torrent(info));
          if (v.pieceCount !== n || v.totalLength !== total) return false;
          // One hash too many or too few must be refused.
          for (const wrong of [n + 1, n - 1]) {
            if (wrong < 0) continue;
            let refused = false;
            try { t.parse(torrent({ ...info, pieces: pieces(wrong) })); } catch { refused = true; }
            if (!refused) return false;
          }
          return true;
        }), { numRuns: 200, what: 'piece count from sizes, and a wrong count refused' });
      return pass();
    },
  },
  {
    id: 'BEP3-META-11:raw-info-hash', clause: 'BEP3-META-11', level: 'must', suite: 'metainfo', style: 'property',
    title: 'info hash = SHA-1 of the info value\'s bytes as they stand in the file',
    async run(t, ctx) {
      await checkProperty(ctx, fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 4, max: 17 }), fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /^[a-z0-9]+$/.test(s)), (total, log2, name) => {
        const raw = encode({ ...singleInfo(total, 1 << log2), name: `${name}.bin` });
        const v = t.parse(torrent(new BRaw(raw), { comment: 'x', 'created by': 'conformance' }));
        return bytesEqual(v.infoHash, sha1(raw));
      }), { numRuns: 200, what: 'infoHash = sha1(raw info slice)' });
      return pass();
    },
  },
  {
    id: 'BEP3-META-11:non-canonical', clause: 'BEP3-META-11', level: 'must', suite: 'metainfo', style: 'exchange',
    title: 'a non-canonical info dict is refused, or hashed as it stands (never re-encoded)',
    async run(t, ctx) {
      // Keys out of order: canonical re-encoding would give a different hash.
      const canonical = encode(singleInfo(1000, 256));
      const text = Buffer.from(canonical).toString('latin1');
      const nameEntry = '4:name8:file.bin';
      const shuffled = Buffer.from(`d${nameEntry}${text.slice(1, text.indexOf(nameEntry))}${text.slice(text.indexOf(nameEntry) + nameEntry.length)}`, 'latin1');
      expect(shuffled.length === canonical.length && !bytesEqual(shuffled, canonical), 'harness: could not build a shuffled info dict');
      const r = tryParse(t, torrent(new BRaw(new Uint8Array(shuffled))));
      if (!r.ok) { ctx.note('refused (strict parser)'); return pass(); }
      expect(bytesEqual(r.v.infoHash, sha1(shuffled)), `info hash ${toHex(r.v.infoHash)} is not the SHA-1 of the raw slice ${toHex(sha1(shuffled))} (re-encoded: ${toHex(sha1(canonical))})`);
      ctx.note('accepted and hashed over the raw slice');
      return pass();
    },
  },
  {
    id: 'BEP3-META-2:utf8', clause: 'BEP3-META-2', level: 'must', suite: 'metainfo', style: 'exchange',
    title: 'text strings are UTF-8: a UTF-8 file name is read as such',
    async run(t) {
      const v = mustAccept(t, torrent({ ...singleInfo(1000, 256), name: utf8('Ünïcødé ファイル.bin') }), 'a UTF-8 name');
      expect(v.files[0]?.path.join('/') === 'Ünïcødé ファイル.bin', `name read as ${JSON.stringify(v.files[0]?.path)}`);
      return pass();
    },
  },
  {
    id: 'BEP3-META-1:fuzz', clause: 'BEP3-META-1', level: 'derived', suite: 'metainfo', style: 'property',
    title: 'mutated torrents either parse or raise the typed error',
    async run(t, ctx) {
      const seed = fc.constantFrom(torrent(singleInfo(1000, 256)), torrent({ name: 'd', 'piece length': 64, pieces: pieces(3), files: [{ length: 100, path: ['a'] }, { length: 92, path: ['b', 'c'] }] }));
      await checkProperty(ctx, fc.property(mutatedArb(seed), (input) => {
        try { t.parse(input); return true; } catch (e) { return t.isTypedError ? t.isTypedError(e) : e instanceof Error; }
      }), { numRuns: 2000, what: 'parse(mutated) returns or throws the typed error' });
      return pass();
    },
  },
];
