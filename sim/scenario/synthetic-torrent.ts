import { buildInfo, parseInfo } from '../../core/metainfo/index.js';
import type { TorrentInfo } from '../../core/metainfo/types.js';

/**
 * The torrent a simulated swarm shares. Its piece hashes are zeros: in the simulator a piece's
 * validity is decided by the storage oracle, never by SHA-1, so real hashes would only cost time.
 * The info dict is still a real, parseable one (the engine serves it over ut_metadata).
 */
export function syntheticTorrent(fileBytes: number, pieceLength: number, name = 'sim.bin'): TorrentInfo {
  const pieces = new Uint8Array(Math.ceil(fileBytes / pieceLength) * 20);
  const built = buildInfo({ name, files: [{ path: [name], length: fileBytes }], pieceLength, pieces, multiFile: false });
  return parseInfo(built.rawInfo);
}
