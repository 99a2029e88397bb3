import { BRaw, encode, type Encodable } from '../bencode/encode.js';
import { toHex } from '../util/bytes.js';
import { MetainfoError } from '../util/errors.js';
import { sha1 } from '../util/sha1.js';
import type { Address } from '../seam/net.js';
import { assertSafePath } from './paths.js';
import { MAX_PIECE_LENGTH } from './parse.js';

/** bt-lab's `created by` string. */
export const CREATED_BY = 'bt-lab/0.1.0';

export interface BuildInfoInput {
  /** Torrent name: the file name (single file) or the folder name (multi file), BEP3-META-3. */
  name: string;
  /** Files in torrent order; for multi-file torrents paths are relative to the folder `name`. */
  files: ReadonlyArray<{ path: readonly string[]; length: number }>;
  pieceLength: number;
  /** Concatenated 20-byte SHA-1s of the pieces over the concatenated content (BEP3-META-5/9). */
  pieces: Uint8Array;
  private?: boolean;
  /**
   * Force the layout. Default: single-file when there is exactly one file and its path is
   * [name]; a folder with one file inside is multi-file (pass true), as mktorrent does.
   */
  multiFile?: boolean;
}

export interface BuiltInfo {
  /** The bencoded info dict: what peers exchange (BEP9-META-1) and what is hashed. */
  rawInfo: Uint8Array;
  infoHash: Uint8Array;
  infoHashHex: string;
}

/**
 * Build a canonical v1 info dict. Everything is validated as parseMetainfo would (path
 * safety, lengths, BEP3-META-10 piece count), so a torrent we create always parses back.
 * Only the BEP 3 keys (+ `private`) are written, the same set mktorrent writes, so a single
 * file hashed with the same piece length gives mktorrent's info hash.
 */
export function buildInfo(input: BuildInfoInput): BuiltInfo {
  const { name, files, pieceLength, pieces } = input;
  assertSafePath([name], 'info.name');
  if (!Number.isSafeInteger(pieceLength) || pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
    throw new MetainfoError(`piece length must be an integer in 1..2^31, got ${pieceLength}`, { field: 'piece length' });
  }
  if (files.length === 0) throw new MetainfoError('a torrent needs at least one file', { field: 'files' });
  let total = 0;
  for (const f of files) {
    if (!Number.isSafeInteger(f.length) || f.length < 0) throw new MetainfoError(`file ${f.path.join('/')} has a bad length ${f.length}`, { field: 'length' });
    total += f.length;
  }
  const expected = Math.ceil(total / pieceLength);
  if (pieces.length !== expected * 20) {
    throw new MetainfoError(`pieces holds ${pieces.length / 20} hashes but ${total} bytes in pieces of ${pieceLength} need ${expected} (BEP3-META-10)`, { field: 'pieces' });
  }
  const multi = input.multiFile ?? !(files.length === 1 && files[0].path.length === 1 && files[0].path[0] === name);
  const info: Record<string, Encodable> = { name, 'piece length': pieceLength, pieces };
  if (multi) {
    info.files = files.map((f, i) => {
      assertSafePath(f.path, `files[${i}].path`);
      return { length: f.length, path: [...f.path] };
    });
  } else {
    if (files.length !== 1) throw new MetainfoError('a single-file torrent has exactly one file', { field: 'files' });
    info.length = files[0].length;
  }
  if (input.private) info.private = 1;
  const rawInfo = encode(info);
  const infoHash = sha1(rawInfo);
  return { rawInfo, infoHash, infoHashHex: toHex(infoHash) };
}

export interface BuildMetainfoInput {
  /** Raw info bytes (from buildInfo, or metadata fetched from peers), spliced verbatim. */
  rawInfo: Uint8Array;
  /** Tracker tiers (BEP 12). `announce` is the first URL of the first tier. */
  trackers?: readonly (readonly string[])[];
  comment?: string;
  /** Default 'bt-lab/0.1.0'. */
  createdBy?: string;
  /** Seconds since the epoch. Passed in: the core cannot read the clock. */
  creationDate?: number;
  /** BEP 19 web seeds. */
  urlList?: readonly string[];
  /** BEP5-TOR-1 DHT bootstrap nodes. */
  nodes?: readonly Address[];
}

/**
 * Build the .torrent bytes around an info dict. `announce-list` is written only when there
 * is more than one tracker (as mktorrent and libtorrent do), so a one-tracker torrent reads
 * the same in clients that predate BEP 12.
 */
export function buildMetainfo(input: BuildMetainfoInput): Uint8Array {
  const tiers = (input.trackers ?? []).map((t) => t.filter((u) => u !== '')).filter((t) => t.length > 0);
  const top: Record<string, Encodable> = { info: new BRaw(input.rawInfo) };
  if (tiers.length > 0) top.announce = tiers[0][0];
  if (tiers.flat().length > 1) top['announce-list'] = tiers.map((t) => [...t]);
  if (input.comment) top.comment = input.comment;
  top['created by'] = input.createdBy ?? CREATED_BY;
  if (input.creationDate !== undefined) top['creation date'] = input.creationDate;
  if (input.urlList && input.urlList.length > 0) top['url-list'] = [...input.urlList];
  if (input.nodes && input.nodes.length > 0) top.nodes = input.nodes.map((n) => [n.host, n.port]);
  return encode(top);
}

/**
 * Piece hashes of in-memory content (tests, the simulator, small fixtures). Bulk hashing of
 * files on disk streams through host/create instead.
 */
export function pieceHashes(content: Uint8Array, pieceLength: number): Uint8Array {
  const n = Math.ceil(content.length / pieceLength);
  const out = new Uint8Array(n * 20);
  for (let i = 0; i < n; i++) out.set(sha1(content.subarray(i * pieceLength, Math.min(content.length, (i + 1) * pieceLength))), i * 20);
  return out;
}
