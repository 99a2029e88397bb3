import type { FileEntry, TorrentInfo } from '../../../core/metainfo/types.js';
import type { OpenedStore, PieceStore, StorageProvider } from '../../../core/seam/storage.js';
import { toHex, utf8 } from '../../../core/util/bytes.js';
import { seededRandom } from '../../../core/util/prng.js';
import { sha1 } from '../../../core/util/sha1.js';

export interface TestTorrentSpec {
  /** File lengths in torrent order (0 allowed). */
  lengths: number[];
  /** BEP 47 padding flags, same order. */
  pads?: boolean[];
  pieceLength: number;
  seed: number | string;
  name?: string;
  /** Default: more than one file. */
  multiFile?: boolean;
}

/**
 * A deterministic torrent plus its content, for storage tests, the crash child and the bench.
 * Content bytes come from the seeded PRNG; padding files hold zeros (BEP 47); piece hashes are
 * real SHA-1s of the content. Same spec → same bytes in every process.
 */
export function makeTorrent(spec: TestTorrentSpec): { info: TorrentInfo; content: Uint8Array } {
  const rnd = seededRandom(spec.seed);
  let offset = 0;
  const files: FileEntry[] = spec.lengths.map((length, i) => {
    const f: FileEntry = { path: spec.pads?.[i] ? ['.pad', String(length)] : [`dir${i % 3}`, `file-${i}.bin`], length, offset, attr: spec.pads?.[i] ? 'p' : '' };
    offset += length;
    return f;
  });
  const multiFile = spec.multiFile ?? files.length > 1;
  const name = spec.name ?? `t-${spec.seed}`;
  if (!multiFile) files[0].path = [name];
  const content = new Uint8Array(offset);
  // Fill in 1 MiB chunks (the PRNG makes fresh arrays).
  for (let o = 0; o < offset; o += 1 << 20) content.set(rnd.bytes(Math.min(1 << 20, offset - o)), o);
  files.forEach((f) => { if (f.attr.includes('p')) content.fill(0, f.offset, f.offset + f.length); });
  const pieceCount = Math.ceil(offset / spec.pieceLength);
  const pieces = new Uint8Array(pieceCount * 20);
  for (let i = 0; i < pieceCount; i++) {
    pieces.set(sha1(content.subarray(i * spec.pieceLength, Math.min(offset, (i + 1) * spec.pieceLength))), i * 20);
  }
  const infoHash = sha1(utf8(`bt-lab test torrent ${JSON.stringify(spec)}`));
  return {
    info: {
      infoHash, infoHashHex: toHex(infoHash), name, pieceLength: spec.pieceLength, pieces, pieceCount,
      totalLength: offset, files, multiFile, private: false, rawInfo: new Uint8Array(0),
    },
    content,
  };
}

// Promise wrappers for tests and the bench (the seam is callback-style on purpose).
export const openP = (p: StorageProvider, info: TorrentInfo): Promise<OpenedStore> =>
  new Promise((res, rej) => p.open(info, (e, o) => (e ? rej(e) : res(o!))));
export const writeP = (s: PieceStore, i: number, b: number, d: Uint8Array): Promise<void> =>
  new Promise((res, rej) => s.write(i, b, d, (e) => (e ? rej(e) : res())));
export const verifyP = (s: PieceStore, i: number): Promise<boolean> =>
  new Promise((res, rej) => s.verify(i, (e, ok) => (e ? rej(e) : res(ok!))));
export const readP = (s: PieceStore, i: number, b: number, n: number): Promise<Uint8Array> =>
  new Promise((res, rej) => s.read(i, b, n, (e, d) => (e ? rej(e) : res(d!))));
export const closeP = (s: PieceStore): Promise<void> => new Promise((res, rej) => s.close((e) => (e ? rej(e) : res())));

/** Write every 16 KiB block of piece `i` from `content` (in the given block order). */
export async function writePiece(s: PieceStore, info: TorrentInfo, content: Uint8Array, i: number, order?: number[]): Promise<void> {
  const start = i * info.pieceLength;
  const size = Math.min(info.pieceLength, info.totalLength - start);
  const blocks: number[] = [];
  for (let b = 0; b < size; b += 16384) blocks.push(b);
  for (const k of order ?? blocks.map((_, j) => j)) {
    const b = blocks[k % blocks.length];
    await writeP(s, i, b, content.subarray(start + b, start + Math.min(size, b + 16384)));
  }
}
