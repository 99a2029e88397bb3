import { decode, encode, isBytes, isDict, isInt, isList, type BValue } from '../bencode/index.js';
import { StorageError } from '../util/errors.js';

/** A file as last seen on disk: size and modification time (ns), or null = did not exist. */
export interface FileStamp { size: number; mtimeNs: bigint }

/**
 * Fast-resume record of one torrent. `have` lists only DURABLE pieces: their data was written
 * and fdatasync'd before this record was (atomically) put in place. `clean` is true only for the
 * record written by close(); records written while the torrent runs say false, which tells the
 * next open that pieces may have been committed after the record (a crash) and must be looked for.
 */
export interface ResumeRecord {
  infoHash: Uint8Array;
  pieceLength: number;
  pieceCount: number;
  have: boolean[];
  clean: boolean;
  /** One per torrent file, in torrent order; stamps taken after the data was synced. */
  files: Array<FileStamp | null>;
}

const MAGIC = 'bt-lab resume';
const VERSION = 1;

export function encodeResume(r: ResumeRecord): Uint8Array {
  return encode({
    [MAGIC]: VERSION,
    'info hash': r.infoHash,
    'piece length': r.pieceLength,
    'piece count': r.pieceCount,
    // BEP 3 bitfield layout (high bit of byte 0 = piece 0), so a hex dump reads like the wire.
    have: packBits(r.have),
    clean: r.clean ? 1 : 0,
    files: r.files.map((f) => (f ? [f.size, f.mtimeNs] : [])),
  });
}

/** Parse a resume file. Anything malformed throws StorageError (the caller then rechecks). */
export function decodeResume(bytes: Uint8Array): ResumeRecord {
  let v: BValue;
  try {
    v = decode(bytes);
  } catch (e) {
    throw new StorageError('resume file is not valid bencode', { cause: (e as Error).message });
  }
  const bad = (field: string): never => { throw new StorageError(`resume file: bad or missing ${field}`, { field }); };
  if (!isDict(v)) return bad('top-level dict');
  if (v[MAGIC] !== VERSION) bad('version');
  const infoHash = v['info hash'];
  if (!isBytes(infoHash) || infoHash.length !== 20) return bad('info hash');
  const pieceLength = smallInt(v['piece length']) ?? bad('piece length');
  const pieceCount = smallInt(v['piece count']) ?? bad('piece count');
  if (pieceLength < 1) bad('piece length');
  const bits = v.have;
  if (!isBytes(bits) || bits.length !== Math.ceil(pieceCount / 8)) return bad('have');
  const have = unpackBits(bits, pieceCount);
  // Spare bits past the last piece must be zero, as on the wire (BEP 3 bitfield).
  if (pieceCount % 8 !== 0 && (bits[bits.length - 1] & (0xff >> (pieceCount % 8))) !== 0) bad('have');
  const clean = v.clean;
  if (clean !== 0 && clean !== 1) bad('clean');
  const list = v.files;
  if (!isList(list)) return bad('files');
  const files = list.map((f): FileStamp | null => {
    if (!isList(f)) return bad('files');
    if (f.length === 0) return null;
    if (f.length !== 2) return bad('files');
    const size = smallInt(f[0]) ?? bad('file size');
    const m = f[1];
    if (!isInt(m)) return bad('file mtime');
    return { size, mtimeNs: BigInt(m as number | bigint) };
  });
  return { infoHash, pieceLength, pieceCount, have, clean: clean === 1, files };
}

function smallInt(x: BValue | undefined): number | undefined {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 ? x : undefined;
}

export function packBits(bits: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((b, i) => { if (b) out[i >> 3] |= 0x80 >> (i & 7); });
  return out;
}

export function unpackBits(bytes: Uint8Array, count: number): boolean[] {
  const out = new Array<boolean>(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[i >> 3] & (0x80 >> (i & 7))) !== 0;
  return out;
}
