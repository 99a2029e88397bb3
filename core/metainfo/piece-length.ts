/** Smallest and largest piece lengths autoPieceLength picks (16 KiB = one request block). */
export const MIN_AUTO_PIECE_LENGTH = 16 * 1024;
export const MAX_AUTO_PIECE_LENGTH = 16 * 1024 * 1024;

/**
 * A piece length for `totalBytes` of content, in the spirit of libtorrent and mktorrent: a
 * power of two (BEP3-META-4 does not require one in v1, but every client expects it and
 * BEP 52 does require it) in 16 KiB..16 MiB, chosen so the torrent has at most 2000 pieces —
 * i.e. between 1000 and 2000 unless a clamp applies. Fewer pieces keep the .torrent and the
 * bitfield small; more pieces let peers start trading sooner and lose less to a bad piece.
 */
export function autoPieceLength(totalBytes: number): number {
  if (!(totalBytes > 0)) return MIN_AUTO_PIECE_LENGTH;
  let pl = MIN_AUTO_PIECE_LENGTH;
  while (pl < MAX_AUTO_PIECE_LENGTH && Math.ceil(totalBytes / pl) > 2000) pl *= 2;
  return pl;
}
