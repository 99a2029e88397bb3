import { MAX_REQUEST } from './types.js';

/**
 * Framing caps for the decoder (BEP3-MSG-2: the spec sets no maximum length, so every client
 * must choose one; a hostile length prefix must never make us allocate what the peer claims).
 * All figures are PAYLOAD bytes after the id byte.
 */
export interface WireLimits {
  /**
   * Largest bitfield. The host sets it to ceil(pieceCount / 8) once it knows the torrent
   * (setLimits after the handshake); before that (magnet links) the default applies.
   */
  maxBitfieldBytes: number;
  /** Largest BEP 10 extended payload (the extended id byte included). */
  maxExtendedBytes: number;
  /** Largest piece block (the 8 bytes of index+begin not included). */
  maxBlockBytes: number;
  /** Largest payload of a message with an id we do not know (BEP 52 hashes etc.). */
  maxUnknownBytes: number;
}

/**
 * Defaults. maxBlockBytes = MAX_REQUEST exactly: we never request more (BEP3-MSG-9) and
 * validateIncoming rejects a larger block anyway, so slack would only let a hostile peer
 * make us buffer more. 1 MiB of bitfield is 8 Mi pieces — more than any real torrent (a
 * 2 TiB torrent with 256 KiB pieces) — and is what applies before the piece count is known.
 * 1 MiB of extended payload covers ut_metadata's 16 KiB pieces and the largest PEX and
 * extension handshakes seen in practice by a wide margin. Unknown ids (BEP 52 hash messages,
 * private extensions) get MAX_REQUEST: nothing we could ever use is larger than a block.
 */
export const DEFAULT_WIRE_LIMITS: Readonly<WireLimits> = Object.freeze({
  maxBitfieldBytes: 1 << 20,
  maxExtendedBytes: 1 << 20,
  maxBlockBytes: MAX_REQUEST,
  maxUnknownBytes: MAX_REQUEST,
});

/** The limits once the piece count is known: the bitfield must be exactly this long (BEP3-MSG-7). */
export function limitsForPieceCount(pieceCount: number): Partial<WireLimits> {
  return { maxBitfieldBytes: Math.ceil(pieceCount / 8) };
}
