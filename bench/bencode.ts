/**
 * Bencode and metainfo throughput: `node dist/bench/bencode.js [--files 10000] [--seconds 1]`.
 *
 * Input: a generated multi-file .torrent with 10,000 files (2–3 path components each, sizes
 * 1 KiB..4 MiB, 4 MiB pieces). Each row runs its operation repeatedly for about --seconds
 * and reports MB/s of .torrent bytes processed. The npm `bencode` package is measured on the
 * same bytes for reference (it is lenient and lossy, see core/bencode/index.ts).
 */
import bencode from 'bencode';
import { decode } from '../core/bencode/decode.js';
import { encode } from '../core/bencode/encode.js';
import { buildInfo, buildMetainfo } from '../core/metainfo/build.js';
import { parseMetainfo } from '../core/metainfo/parse.js';
import { seededRandom } from '../core/util/prng.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const nFiles = Number(arg('files', '10000'));
const seconds = Number(arg('seconds', '1'));

function makeTorrent(): Uint8Array {
  const r = seededRandom('bench-bencode');
  const files: Array<{ path: string[]; length: number }> = [];
  let total = 0;
  for (let i = 0; i < nFiles; i++) {
    const depth = 2 + r.int(2);
    const path: string[] = [];
    for (let d = 0; d < depth - 1; d++) path.push(`folder-${r.int(50)}`);
    path.push(`file-${i.toString().padStart(5, '0')}-${r.int(1e6)}.dat`);
    const length = 1024 + r.int(4 * 1024 * 1024);
    files.push({ path, length });
    total += length;
  }
  const pieceLength = 4 * 1024 * 1024;
  const pieces = r.bytes(Math.ceil(total / pieceLength) * 20);
  const info = buildInfo({ name: 'bench', files, pieceLength, pieces, multiFile: true });
  return buildMetainfo({ rawInfo: info.rawInfo, trackers: [['http://127.0.0.1:6969/announce']], creationDate: 0 });
}

function measure(name: string, bytesPerOp: number, op: () => unknown): { name: string; mbps: number; opsPerSec: number } {
  for (let i = 0; i < 3; i++) op(); // warm-up (JIT)
  let ops = 0;
  const t0 = process.hrtime.bigint();
  let el = 0;
  do {
    op();
    ops++;
    el = Number(process.hrtime.bigint() - t0) / 1e9;
  } while (el < seconds);
  return { name, mbps: (bytesPerOp * ops) / el / 1e6, opsPerSec: ops / el };
}

const torrent = makeTorrent();
const value = decode(torrent);
const npmValue = bencode.decode(torrent);
console.log(`input: ${nFiles} files, .torrent ${(torrent.length / 1e6).toFixed(2)} MB`);
const rows = [
  measure('bt-lab decode (strict)', torrent.length, () => decode(torrent)),
  measure('bt-lab decode (lenient)', torrent.length, () => decode(torrent, { strict: false })),
  measure('bt-lab parseMetainfo', torrent.length, () => parseMetainfo(torrent)),
  measure('bt-lab encode', torrent.length, () => encode(value)),
  measure('npm bencode decode', torrent.length, () => bencode.decode(torrent)),
  measure('npm bencode encode', torrent.length, () => bencode.encode(npmValue)),
];
console.log(`${'operation'.padEnd(26)}${'MB/s'.padStart(9)}${'ops/s'.padStart(9)}${'ms/op'.padStart(9)}`);
for (const r of rows) console.log(`${r.name.padEnd(26)}${r.mbps.toFixed(1).padStart(9)}${r.opsPerSec.toFixed(1).padStart(9)}${(1000 / r.opsPerSec).toFixed(2).padStart(9)}`);
