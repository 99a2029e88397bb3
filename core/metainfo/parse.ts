import { decode, decodeWithSpans, plainView } from '../bencode/decode.js';
import { bytesToKey, isBytes, isDict, isInt, isList, type BDict, type BValue } from '../bencode/types.js';
import { fromUtf8, fromUtf8Strict, toHex } from '../util/bytes.js';
import { BencodeError, MetainfoError } from '../util/errors.js';
import { sha1 } from '../util/sha1.js';
import type { Address } from '../seam/net.js';
import { assertSafePath } from './paths.js';
import type { FileEntry, Metainfo, TorrentInfo } from './types.js';

export interface ParseMetainfoOptions {
  /**
   * Strict (default true): canonical bencode only, and every optional top-level field
   * (announce, announce-list, url-list, comment, created by, creation date, nodes) must have
   * the right type and be UTF-8. Lenient (false): non-canonical bencode is read (the info
   * hash is still over the raw slice, BEP3-META-11), mistyped optional fields are ignored and
   * non-UTF-8 text is decoded lossily. The info dict is validated fully in both modes: it
   * decides which bytes we write and where.
   */
  strict?: boolean;
  /** Refuse inputs larger than this many bytes (default: no limit). */
  maxLength?: number;
}

/** Largest accepted piece length (2 GiB): block offsets travel as u32 on the wire (BEP3-MSG). */
export const MAX_PIECE_LENGTH = 2 ** 31;

/** Parse a .torrent file (BEP3-META-*). Throws MetainfoError (or BencodeError for bad bencode). */
export function parseMetainfo(buf: Uint8Array, opts: ParseMetainfoOptions = {}): Metainfo {
  const strict = opts.strict ?? true;
  const { value: top, spans } = decodeWithSpans(buf, { strict, maxLength: opts.maxLength });
  if (!isDict(top)) throw new MetainfoError('the file is not a bencoded dictionary (BEP3-META-1)');
  const span = spans.get('info');
  if (!isDict(top.info) || !span) throw new MetainfoError('info is missing or not a dictionary (BEP3-META-1)', { field: 'info' });
  // BEP3-META-11: hash the info value's bytes exactly as they stand in the file.
  const rawInfo = plainView(buf).slice(span[0], span[1]);
  const info = infoFromDict(top.info, rawInfo, strict);

  // Optional fields: strict mode makes a mistyped one an error, lenient mode drops it.
  const soft = <T>(f: () => T): T | undefined => {
    try { return f(); } catch (e) { if (strict || !(e instanceof MetainfoError)) throw e; return undefined; }
  };
  const announce = soft(() => optText(top, 'announce', strict)) || undefined;
  let announceList = soft(() => tiers(top['announce-list'], strict)) ?? [];
  if (announceList.length === 0 && announce) announceList = [[announce]];
  return {
    info,
    announce,
    announceList,
    urlList: soft(() => urlList(top['url-list'], strict)) ?? [],
    creationDate: soft(() => optInt(top, 'creation date')),
    comment: soft(() => optText(top, 'comment', strict)),
    createdBy: soft(() => optText(top, 'created by', strict)),
    nodes: soft(() => nodes(top.nodes, strict)) ?? [],
  };
}

/**
 * Parse a bare info dict (e.g. metadata fetched by ut_metadata, BEP9-META-1). The info hash
 * is the SHA-1 of `raw` as given.
 */
export function parseInfo(raw: Uint8Array, opts: { strict?: boolean } = {}): TorrentInfo {
  const strict = opts.strict ?? true;
  const v = decode(raw, { strict });
  if (!isDict(v)) throw new MetainfoError('info is not a dictionary', { field: 'info' });
  return infoFromDict(v, plainView(raw).slice(), strict);
}

function infoFromDict(info: BDict, rawInfo: Uint8Array, strict: boolean): TorrentInfo {
  const name = pathText(info, 'name', 'info.name', strict);
  assertSafePath([name], 'info.name');

  const pl = info['piece length'];
  if (!isInt(pl) || typeof pl === 'bigint' || pl <= 0 || pl > MAX_PIECE_LENGTH) {
    throw new MetainfoError(`info.piece length must be an integer in 1..2^31 (BEP3-META-4), got ${describe(pl)}`, { field: 'piece length' });
  }
  const pieces = info.pieces;
  if (!isBytes(pieces)) {
    if (info['meta version'] === 2 && info['file tree'] !== undefined) {
      throw new MetainfoError('v2-only torrent (BEP 52) is not supported: info has no pieces', { field: 'pieces' });
    }
    throw new MetainfoError(`info.pieces must be a byte string, got ${describe(pieces)}`, { field: 'pieces' });
  }
  if (pieces.length % 20 !== 0) {
    throw new MetainfoError(`info.pieces length ${pieces.length} is not a multiple of 20 (BEP3-META-5)`, { field: 'pieces' });
  }

  const hasLength = info.length !== undefined;
  const hasFiles = info.files !== undefined;
  if (hasLength === hasFiles) {
    throw new MetainfoError(`info must have exactly one of length and files (BEP3-META-6), it has ${hasLength ? 'both' : 'neither'}`, { field: hasLength ? 'files' : 'length' });
  }

  const files: FileEntry[] = [];
  let total = 0;
  if (hasLength) {
    const length = fileLength(info.length, 'info.length');
    files.push({ path: [name], length, offset: 0, attr: attr(info.attr) });
    total = length;
  } else {
    const list = info.files;
    if (!isList(list) || list.length === 0) throw new MetainfoError('info.files must be a non-empty list (BEP3-META-8)', { field: 'files' });
    const seenFiles = new Set<string>();
    const seenDirs = new Set<string>();
    list.forEach((f, i) => {
      const where = `info.files[${i}]`;
      if (!isDict(f)) throw new MetainfoError(`${where} is not a dictionary`, { field: 'files', index: i });
      const length = fileLength(f.length, `${where}.length`);
      const path = pathList(f, where, strict);
      assertSafePath(path, `${where}.path`);
      const a = attr(f.attr);
      // Two files at one path (or a file where another needs a folder) would overwrite each
      // other's data. BEP 47 padding files are exempt: they are never written, and libtorrent
      // names every one '.pad/<size>', so duplicates among them are normal.
      if (!a.includes('p')) {
        // Components hold no '/', so joined paths are unambiguous keys.
        let dir = '';
        for (let k = 0; k < path.length - 1; k++) {
          dir = k === 0 ? path[0] : `${dir}/${path[k]}`;
          if (seenFiles.has(dir)) throw new MetainfoError(`${where}.path ${JSON.stringify(path.join('/'))} needs ${JSON.stringify(dir)} to be a folder but it is a file`, { field: 'files', index: i, path });
          seenDirs.add(dir);
        }
        const key = path.length === 1 ? path[0] : `${dir}/${path[path.length - 1]}`;
        if (seenFiles.has(key) || seenDirs.has(key)) throw new MetainfoError(`${where}.path ${JSON.stringify(key)} collides with another file`, { field: 'files', index: i, path });
        seenFiles.add(key);
      }
      files.push({ path, length, offset: total, attr: a });
      total += length;
      if (!Number.isSafeInteger(total)) throw new MetainfoError('total length exceeds 2^53 bytes', { field: 'files' });
    });
  }

  // BEP3-META-10: piece count = ceil(total / piece length) = len(pieces) / 20.
  const pieceCount = pieces.length / 20;
  const expected = Math.ceil(total / pl);
  if (pieceCount !== expected) {
    throw new MetainfoError(`info.pieces holds ${pieceCount} hashes but ${total} bytes in pieces of ${pl} need ${expected} (BEP3-META-10)`, { field: 'pieces' });
  }

  const priv = info.private;
  if (priv !== undefined && strict && priv !== 0 && priv !== 1) {
    throw new MetainfoError(`info.private must be 0 or 1 (BEP 27), got ${describe(priv)}`, { field: 'private' });
  }

  const infoHash = sha1(rawInfo);
  return {
    infoHash,
    infoHashHex: toHex(infoHash),
    name,
    pieceLength: pl,
    pieces,
    pieceCount,
    totalLength: total,
    files,
    multiFile: hasFiles,
    // Lenient: any non-zero integer counts, as libtorrent reads it. Safer to over-restrict.
    private: isInt(priv) && priv != 0,
    rawInfo,
  };
}

function describe(v: BValue | undefined): string {
  if (v === undefined) return 'nothing';
  if (isBytes(v)) return `a ${v.length}-byte string`;
  if (isList(v)) return 'a list';
  if (isDict(v)) return 'a dictionary';
  return String(v);
}

function fileLength(v: BValue | undefined, field: string): number {
  if (!isInt(v) || typeof v === 'bigint' || v < 0) {
    throw new MetainfoError(`${field} must be a non-negative integer below 2^53 (BEP3-META-7), got ${describe(v)}`, { field });
  }
  return v;
}

/** BEP 47 attr: a string of flag letters ('p' padding, 'x' executable, 'h' hidden, 'l' symlink). */
function attr(v: BValue | undefined): string {
  return isBytes(v) ? bytesToKey(v) : '';
}

/** UTF-8 text (BEP3-META-2): strict refuses invalid UTF-8, lenient decodes it lossily. */
function text(b: Uint8Array, field: string, strict: boolean): string {
  if (isAscii(b)) return bytesToKey(b); // the common case, without a TextDecoder call per path component
  const s = fromUtf8Strict(b);
  if (s !== undefined) return s;
  if (strict) throw new MetainfoError(`${field} is not valid UTF-8 (BEP3-META-2)`, { field });
  return fromUtf8(b);
}

function isAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] > 0x7f) return false;
  return true;
}

/**
 * `name` with BitComet's `name.utf-8` preferred when it is valid UTF-8. That key was added
 * for torrents whose `name` was written in a legacy code page; libtorrent prefers it too, so
 * we agree with it on the folder name. Either way the chosen name is path-checked.
 */
function pathText(d: BDict, key: string, field: string, strict: boolean): string {
  const alt = d[`${key}.utf-8`];
  if (isBytes(alt)) {
    const s = fromUtf8Strict(alt);
    if (s !== undefined) return s;
  }
  const v = d[key];
  if (!isBytes(v)) throw new MetainfoError(`${field} must be a byte string (BEP3-META-3), got ${describe(v)}`, { field });
  return text(v, field, strict);
}

/** A file's `path` list, `path.utf-8` preferred when every component is valid UTF-8 (as `name.utf-8`). */
function pathList(f: BDict, where: string, strict: boolean): string[] {
  const alt = f['path.utf-8'];
  if (isList(alt) && alt.length > 0 && alt.every(isBytes)) {
    const comps = alt.map((c) => fromUtf8Strict(c as Uint8Array));
    if (comps.every((c) => c !== undefined)) return comps as string[];
  }
  const p = f.path;
  if (!isList(p)) throw new MetainfoError(`${where}.path must be a list (BEP3-META-8), got ${describe(p)}`, { field: 'path' });
  return p.map((c, k) => {
    if (!isBytes(c)) throw new MetainfoError(`${where}.path[${k}] must be a byte string, got ${describe(c)}`, { field: 'path' });
    return text(c, `${where}.path[${k}]`, strict);
  });
}

function optText(d: BDict, key: string, strict: boolean): string | undefined {
  const v = d[key];
  if (v === undefined) return undefined;
  if (!isBytes(v)) throw new MetainfoError(`${key} must be a string, got ${describe(v)}`, { field: key });
  return text(v, key, strict);
}

function optInt(d: BDict, key: string): number | undefined {
  const v = d[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new MetainfoError(`${key} must be an integer, got ${describe(v)}`, { field: key });
  return v;
}

/** BEP 12 announce-list: a list of tiers, each a list of URLs. Empty strings and tiers are dropped. */
function tiers(v: BValue | undefined, strict: boolean): string[][] {
  if (v === undefined) return [];
  if (!isList(v)) throw new MetainfoError(`announce-list must be a list of lists (BEP 12), got ${describe(v)}`, { field: 'announce-list' });
  const out: string[][] = [];
  v.forEach((tier, i) => {
    if (!isList(tier)) throw new MetainfoError(`announce-list[${i}] must be a list (BEP 12), got ${describe(tier)}`, { field: 'announce-list' });
    const urls = tier.map((u, j) => {
      if (!isBytes(u)) throw new MetainfoError(`announce-list[${i}][${j}] must be a string, got ${describe(u)}`, { field: 'announce-list' });
      return text(u, `announce-list[${i}][${j}]`, strict);
    }).filter((u) => u !== '');
    if (urls.length > 0) out.push(urls);
  });
  return out;
}

/** BEP 19 url-list: one URL or a list of them. */
function urlList(v: BValue | undefined, strict: boolean): string[] {
  if (v === undefined) return [];
  const list = isBytes(v) ? [v] : v;
  if (!isList(list)) throw new MetainfoError(`url-list must be a string or a list of strings (BEP 19), got ${describe(v)}`, { field: 'url-list' });
  return list.map((u, i) => {
    if (!isBytes(u)) throw new MetainfoError(`url-list[${i}] must be a string, got ${describe(u)}`, { field: 'url-list' });
    return text(u, `url-list[${i}]`, strict);
  }).filter((u) => u !== '');
}

/** BEP5-TOR-1: nodes = [[host, port], ...]. */
function nodes(v: BValue | undefined, strict: boolean): Address[] {
  if (v === undefined) return [];
  if (!isList(v)) throw new MetainfoError(`nodes must be a list of [host, port] (BEP5-TOR-1), got ${describe(v)}`, { field: 'nodes' });
  return v.map((n, i) => {
    if (!isList(n) || n.length !== 2 || !isBytes(n[0]) || typeof n[1] !== 'number' || n[1] < 1 || n[1] > 65535 || !Number.isInteger(n[1])) {
      throw new MetainfoError(`nodes[${i}] must be [host, port 1..65535] (BEP5-TOR-1)`, { field: 'nodes', index: i });
    }
    return { host: text(n[0], `nodes[${i}][0]`, strict), port: n[1] };
  });
}

/** True for errors parseMetainfo/parseInfo raise on bad input (for fuzzers and the CLI). */
export const isMetainfoInputError = (e: unknown): boolean => e instanceof MetainfoError || e instanceof BencodeError;
