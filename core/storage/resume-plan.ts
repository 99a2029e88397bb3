import { pieceSize, type TorrentInfo } from '../metainfo/types.js';
import { bytesEqual } from '../util/bytes.js';
import { fileSpans, type Layout } from './file-spans.js';
import type { FileStamp, ResumeRecord } from './resume-codec.js';

export interface ResumePlan {
  /** Pieces trusted from the resume record without hashing. */
  trusted: boolean[];
  /** Pieces whose bytes exist on disk and must be hashed to learn whether we have them. */
  recheck: number[];
  /** Why the record was (not) used, for logs. */
  reason: 'no record' | 'record for another torrent' | 'record used';
}

/**
 * Decide, at open, which pieces to trust and which to hash. Rules (host/storage/README.md):
 * - a piece whose stored bytes do not all exist on disk (file missing or too short) is not had
 *   and not hashed (BEP 47 padding bytes never need to exist);
 * - a clean record (written by close) is trusted for every piece whose files still carry the
 *   recorded size and mtime: listed pieces are had, unlisted ones are not (nothing was written
 *   after a clean close). A changed file means someone else touched it: its pieces are hashed;
 * - a crash record (written while running) may predate pieces committed just before the crash,
 *   and our own later writes changed the files' mtimes, so exact stamps cannot be asked for.
 *   Since we never rewrite a piece once it is had, a listed piece stays trusted as long as its
 *   files only moved forward (size and mtime not below the recorded ones); every unlisted
 *   present piece is hashed. A file that shrank or went back in time is hashed whole;
 * - every other present piece is hashed.
 */
export function planResume(
  info: Layout & Pick<TorrentInfo, 'infoHash'>,
  record: ResumeRecord | undefined,
  current: ReadonlyArray<FileStamp | null>,
): ResumePlan {
  const usable = record !== undefined && recordFits(info, record);
  const matches = info.files.map((_, i) => usable &&
    (record!.clean ? sameStamp(record!.files[i], current[i]) : movedForward(record!.files[i], current[i])));
  const trusted = new Array<boolean>(info.pieceCount).fill(false);
  const recheck: number[] = [];
  for (let p = 0; p < info.pieceCount; p++) {
    const spans = fileSpans(info, p, 0, pieceSize(info, p)).filter((s) => !s.pad);
    const present = spans.every((s) => {
      const st = current[s.fileIndex];
      return st !== null && st !== undefined && st.size >= s.fileOffset + s.length;
    });
    if (!present) continue;
    if (usable && spans.every((s) => matches[s.fileIndex])) {
      if (record!.have[p]) { trusted[p] = true; continue; }
      if (record!.clean) continue;
    }
    recheck.push(p);
  }
  return { trusted, recheck, reason: record === undefined ? 'no record' : usable ? 'record used' : 'record for another torrent' };
}

function recordFits(info: Layout & Pick<TorrentInfo, 'infoHash'>, r: ResumeRecord): boolean {
  return bytesEqual(r.infoHash, info.infoHash) && r.pieceLength === info.pieceLength &&
    r.pieceCount === info.pieceCount && r.files.length === info.files.length;
}

/** Crash records: our own writes only ever grow a file and advance its mtime. */
function movedForward(a: FileStamp | null | undefined, b: FileStamp | null | undefined): boolean {
  if (!a) return true; // created after the record: only unlisted pieces can live in it
  return !!b && b.size >= a.size && b.mtimeNs >= a.mtimeNs;
}

function sameStamp(a: FileStamp | null | undefined, b: FileStamp | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.size === b.size && a.mtimeNs === b.mtimeNs;
}
