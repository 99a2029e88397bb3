import { open } from 'node:fs/promises';
import { buildInfo, buildMetainfo, CREATED_BY } from '../../core/metainfo/build.js';
import { autoPieceLength } from '../../core/metainfo/piece-length.js';
import { MetainfoError, StorageError } from '../../core/util/errors.js';
import { PieceHasher } from './piece-hasher.js';
import { walkForTorrent } from './walk.js';

export interface CreateTorrentOptions {
  /** Tracker tiers (BEP 12); a flat list is one tracker per tier, in order, as mktorrent -a does. */
  trackers?: ReadonlyArray<string | readonly string[]>;
  /** Bytes, or 'auto' (default): autoPieceLength of the total size. */
  pieceLength?: number | 'auto';
  private?: boolean;
  comment?: string;
  createdBy?: string;
  /** Seconds since the epoch; default now; null leaves it out (reproducible output). */
  creationDate?: number | null;
  /** BEP 19 web seeds. */
  urlList?: string[];
  /** Read buffer size (default 1 MiB). Two of them are used, so reading overlaps hashing. */
  bufferSize?: number;
  /** Called after each chunk is hashed. */
  onProgress?: (hashedBytes: number, totalBytes: number) => void;
}

export interface CreatedTorrent {
  /** The .torrent file bytes. */
  torrent: Uint8Array;
  infoHash: Uint8Array;
  infoHashHex: string;
  name: string;
  pieceLength: number;
  pieceCount: number;
  totalLength: number;
  files: Array<{ path: string[]; length: number }>;
  /** What could not go into the torrent (empty folders). */
  warnings: string[];
}

/**
 * Make a v1 .torrent from a file or a folder on disk. The content streams through SHA-1 one
 * fixed-size buffer at a time (never a whole file in memory), across file boundaries
 * (BEP3-META-9). A file whose size changes while it is read is an error: the torrent would
 * describe content that no longer exists.
 */
export async function createTorrentFromPath(root: string, opts: CreateTorrentOptions = {}): Promise<CreatedTorrent> {
  const walked = await walkForTorrent(root);
  const total = walked.files.reduce((s, f) => s + f.length, 0);
  const pieceLength = opts.pieceLength === undefined || opts.pieceLength === 'auto' ? autoPieceLength(total) : opts.pieceLength;
  if (!Number.isSafeInteger(pieceLength) || pieceLength < 1) throw new MetainfoError(`piece length must be a positive integer, got ${pieceLength}`, { field: 'piece length' });

  const hasher = new PieceHasher(pieceLength);
  const size = opts.bufferSize ?? 1 << 20;
  const bufs = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)];
  let which = 0;
  for (const f of walked.files) {
    const fh = await open(f.abs, 'r').catch((e: Error) => { throw new StorageError(`cannot open ${f.abs}: ${e.message}`, { path: f.abs }); });
    try {
      let pos = 0;
      const readAt = (b: Buffer) => fh.read(b, 0, Math.min(size, Math.max(0, f.length - pos)), pos);
      // Double buffering: the next read runs in libuv's pool while this chunk is hashed.
      let pending = f.length > 0 ? readAt(bufs[which]) : undefined;
      while (pending) {
        const { bytesRead, buffer } = await pending;
        if (bytesRead === 0) break;
        pos += bytesRead;
        which ^= 1;
        pending = pos < f.length ? readAt(bufs[which]) : undefined;
        hasher.update(buffer.subarray(0, bytesRead));
        opts.onProgress?.(hasher.length, total);
      }
      const extra = await fh.read(bufs[which], 0, 1, pos);
      if (pos !== f.length || extra.bytesRead !== 0) {
        throw new StorageError(`${f.abs} changed size while being hashed (expected ${f.length} bytes)`, { path: f.abs });
      }
    } finally {
      await fh.close();
    }
  }

  const files = walked.files.map((f) => ({ path: f.path, length: f.length }));
  const built = buildInfo({ name: walked.name, files, pieceLength, pieces: hasher.digest(), private: opts.private, multiFile: walked.multiFile });
  const trackers = (opts.trackers ?? []).map((t) => (typeof t === 'string' ? [t] : [...t]));
  const creationDate = opts.creationDate === null ? undefined : opts.creationDate ?? Math.floor(Date.now() / 1000);
  const torrent = buildMetainfo({
    rawInfo: built.rawInfo, trackers, comment: opts.comment, createdBy: opts.createdBy ?? CREATED_BY, creationDate, urlList: opts.urlList,
  });
  return {
    torrent, infoHash: built.infoHash, infoHashHex: built.infoHashHex, name: walked.name, pieceLength,
    pieceCount: Math.ceil(total / pieceLength), totalLength: total, files, warnings: walked.warnings,
  };
}
