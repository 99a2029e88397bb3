import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInfo, parseInfo, pieceHashes } from '../../core/metainfo/index.js';
import type { TorrentInfo } from '../../core/metainfo/types.js';
import { seededRandom } from '../../core/util/prng.js';
import { concatBytes } from '../../core/util/bytes.js';

export interface FixtureFile { path: string[]; length: number }

/**
 * A multi-file torrent with deterministic pseudo-random content, written under `dir/name`.
 * Returns the parsed info and the content of each file (for byte-exact checks).
 */
export function makeFixtureTorrent(dir: string, name: string, files: FixtureFile[], pieceLength: number, seed = 1): { info: TorrentInfo; contents: Uint8Array[] } {
  const rng = seededRandom(seed);
  const contents = files.map((f) => rng.bytes(f.length));
  const all = concatBytes(contents);
  const built = buildInfo({ name, files, pieceLength, pieces: pieceHashes(all, pieceLength), multiFile: true });
  files.forEach((f, i) => {
    const p = join(dir, name, ...f.path);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, contents[i]);
  });
  return { info: parseInfo(built.rawInfo), contents };
}
