import type { Address } from '../seam/net.js';

/** One file of a torrent, in torrent order (BEP3-META-9). */
export interface FileEntry {
  /**
   * Path components, validated: none is '', '.', '..', absolute, or holds '/', '\\' or NUL.
   * Multi-file: the `path` list as in the file, relative to the folder `name` (which is not
   * included); single-file: [name].
   */
  path: string[];
  length: number;
  /** Byte offset of this file within the concatenated torrent content. */
  offset: number;
  /** BEP 47 attributes if present ('p' = padding file), else ''. */
  attr: string;
}

/** The parsed `info` dictionary of a v1 torrent (BEP3-META-3..10). */
export interface TorrentInfo {
  /** SHA-1 of the raw info bytes as they stand in the file (BEP3-META-11). */
  infoHash: Uint8Array;
  infoHashHex: string;
  name: string;
  pieceLength: number;
  /** Concatenated 20-byte SHA-1 piece hashes (BEP3-META-5). */
  pieces: Uint8Array;
  pieceCount: number;
  totalLength: number;
  /** Single-file torrents have one entry whose path is [name]. */
  files: FileEntry[];
  multiFile: boolean;
  private: boolean;
  /** The exact bencoded info dict (served to peers by ut_metadata, BEP9-META-1). */
  rawInfo: Uint8Array;
}

export interface Metainfo {
  info: TorrentInfo;
  announce?: string;
  /** BEP 12 tiers; when absent in the file, [[announce]] if announce is set. */
  announceList: string[][];
  /** BEP 19 web seeds (kept, not used yet). */
  urlList: string[];
  creationDate?: number;
  comment?: string;
  createdBy?: string;
  /** BEP5-TOR-1 DHT bootstrap nodes. */
  nodes: Address[];
}

/** Piece geometry helpers shared by the engine, storage and the simulator. */
export interface PieceGeometry {
  pieceLength: number;
  totalLength: number;
  pieceCount: number;
}

export function pieceSize(g: PieceGeometry, index: number): number {
  return index === g.pieceCount - 1 ? g.totalLength - g.pieceLength * (g.pieceCount - 1) : g.pieceLength;
}
