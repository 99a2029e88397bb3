import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInfo, buildMetainfo, parseInfo, pieceHashes } from '../../core/metainfo/index.js';
import type { TorrentInfo } from '../../core/metainfo/types.js';
import { concatBytes } from '../../core/util/bytes.js';
import { seededRandom } from '../../core/util/prng.js';

/**
 * The torrent bt-lab's own peer serves in `conformance self` and the tests: many files with
 * long names, so the info dict is over 16 KiB (two ut_metadata pieces, the last one shorter,
 * BEP9-META-2), files of odd sizes so pieces span file boundaries, and a short last piece.
 * Content is seeded: the same every run.
 */
export function writeConformanceTorrent(dir: string, opts: { files?: number; pieceLength?: number; seed?: number } = {}): { info: TorrentInfo; torrentPath: string; dataDir: string } {
  const rng = seededRandom(opts.seed ?? 8);
  const n = opts.files ?? 300;
  const files = Array.from({ length: n }, (_, i) => ({
    path: [`folder-${i % 7}`, `conformance-file-with-a-fairly-long-name-${String(i).padStart(4, '0')}.bin`],
    length: 1 + rng.int(1500),
  }));
  const contents = files.map((f) => rng.bytes(f.length));
  const pieceLength = opts.pieceLength ?? 65536;
  const built = buildInfo({ name: 'conformance', files, pieceLength, pieces: pieceHashes(concatBytes(contents), pieceLength), multiFile: true });
  const dataDir = join(dir, 'data');
  files.forEach((f, i) => {
    const p = join(dataDir, 'conformance', ...f.path);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, contents[i]);
  });
  const torrentPath = join(dir, 'conformance.torrent');
  writeFileSync(torrentPath, buildMetainfo({ rawInfo: built.rawInfo }));
  return { info: parseInfo(built.rawInfo), torrentPath, dataDir };
}
