import { pieceSize, type TorrentInfo } from '../metainfo/types.js';
import { StorageError } from '../util/errors.js';

/**
 * Where the bytes of a piece live. Multi-file content is the concatenation of the files in
 * torrent order and pieces run straight across file boundaries (BEP3-META-9), so one block can
 * touch several files. Zero-length files cover no bytes and never appear in a span list; BEP 47
 * padding files (attr contains 'p') do appear, flagged `pad`, because callers must treat them
 * differently (never written to disk, always read as zeros) but still count their bytes.
 */
export interface FileSpan {
  fileIndex: number;
  /** Byte offset inside the file. */
  fileOffset: number;
  /** Byte offset inside the requested range (0 = the range's first byte). */
  rangeOffset: number;
  length: number;
  /** BEP 47 padding file: not stored, content is zeros. */
  pad: boolean;
}

/** The part of TorrentInfo the layout depends on (lets tests build geometries cheaply). */
export type Layout = Pick<TorrentInfo, 'files' | 'pieceLength' | 'totalLength' | 'pieceCount'>;

export const isPadFile = (f: { attr: string }): boolean => f.attr.includes('p');

/**
 * The (file, offset, length) runs covering bytes [begin, begin+length) of piece `index`, in
 * order, with no zero-length entries. Throws StorageError when the range is not inside the piece.
 */
export function fileSpans(info: Layout, index: number, begin: number, length: number): FileSpan[] {
  if (!Number.isInteger(index) || index < 0 || index >= info.pieceCount) {
    throw new StorageError('piece index out of range', { piece: index, pieceCount: info.pieceCount });
  }
  const size = pieceSize(info, index);
  if (!Number.isInteger(begin) || !Number.isInteger(length) || begin < 0 || length < 0 || begin + length > size) {
    throw new StorageError('range outside the piece', { piece: index, begin, length, pieceSize: size });
  }
  return rangeSpans(info.files, index * info.pieceLength + begin, length);
}

/** Spans of an absolute byte range [start, start+length) of the concatenated content. */
export function rangeSpans(files: Layout['files'], start: number, length: number): FileSpan[] {
  const out: FileSpan[] = [];
  if (length === 0) return out;
  let i = firstFileAt(files, start);
  let pos = start;
  const end = start + length;
  while (pos < end && i < files.length) {
    const f = files[i];
    const fileEnd = f.offset + f.length;
    if (f.length > 0 && pos < fileEnd) {
      const n = Math.min(end, fileEnd) - pos;
      out.push({ fileIndex: i, fileOffset: pos - f.offset, rangeOffset: pos - start, length: n, pad: isPadFile(f) });
      pos += n;
    }
    i++;
  }
  if (pos < end) throw new StorageError('range past the end of the files', { start, length, covered: pos - start });
  return out;
}

/** Index of the last file whose offset is <= pos (binary search; files are sorted by offset). */
function firstFileAt(files: Layout['files'], pos: number): number {
  let lo = 0, hi = files.length - 1, best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (files[mid].offset <= pos) { best = mid; lo = mid + 1; } else hi = mid - 1;
  }
  // Several zero-length files may share the offset of the file that really holds `pos`;
  // step back so the walk above starts at the first of them (it skips them anyway).
  while (best > 0 && files[best - 1].offset === files[best].offset) best--;
  return best;
}

/**
 * Zero-length (non-padding) files grouped by the piece they "belong" to: the piece whose byte
 * range holds their offset, or the last piece for those sitting at the very end. They hold no
 * bytes, so no block ever creates them; the store creates them when that piece is committed, so
 * a finished download has every file of the torrent on disk. Computed once per torrent.
 */
export function emptyFilesByPiece(info: Layout): Map<number, number[]> {
  const out = new Map<number, number[]>();
  if (info.pieceCount === 0) return out;
  info.files.forEach((f, i) => {
    if (f.length !== 0 || isPadFile(f)) return;
    const piece = Math.min(Math.floor(f.offset / info.pieceLength), info.pieceCount - 1);
    const list = out.get(piece);
    if (list) list.push(i); else out.set(piece, [i]);
  });
  return out;
}

/** [start, end) ranges inside piece `index` that fall in padding files (kept zero in memory). */
export function padRangesOfPiece(info: Layout, index: number): Array<[number, number]> {
  return fileSpans(info, index, 0, pieceSize(info, index))
    .filter((s) => s.pad)
    .map((s) => [s.rangeOffset, s.rangeOffset + s.length]);
}
