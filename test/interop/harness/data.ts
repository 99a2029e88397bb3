/**
 * Test data for interop runs: deterministic pseudo-random files (the same seed gives the same
 * bytes on every machine, so a failure can be replayed), a multi-file folder with odd sizes
 * (pieces must span file boundaries, the last piece must be short), .torrent files made by
 * libtorrent's create_torrent, and SHA-256 of every file to check what a peer wrote.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, statSync, writeSync, createReadStream } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { PEERS_DIR, PYTHON } from './tools.js';
import { runCommand } from './proc.js';

/** Writes `size` bytes of an AES-128-CTR keystream keyed by `seed`: fast (GB/s, so the 1 GiB
 * bench file is quick to make) and reproducible. Not security-relevant. */
export function writeSeededFile(path: string, size: number, seed: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const key = createHash('sha256').update(`bt-lab interop data:${seed}`).digest().subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(1 << 20);
  const fd = openSync(path, 'w');
  try {
    let left = size;
    while (left > 0) {
      const n = Math.min(left, zeros.length);
      const chunk = cipher.update(n === zeros.length ? zeros : zeros.subarray(0, n));
      let off = 0;
      while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
      left -= n;
    }
  } finally {
    closeSync(fd);
  }
}

export interface FileSpec {
  /** path relative to the torrent folder, with '/' */
  path: string;
  size: number;
}

/** A layout that exercises BEP3-META-8/9: nested folders, sizes that are not multiples of a
 * piece, a file smaller than a block, a file that starts and ends inside one piece. */
export function oddMultiFileLayout(scale = 1): FileSpec[] {
  return [
    { path: 'a.bin', size: Math.round(1_000_003 * scale) },
    { path: 'docs/readme.txt', size: 1337 },
    { path: 'docs/deep/b.bin', size: Math.round(524_289 * scale) },
    { path: 'c.bin', size: 7 },
    { path: 'z-last.bin', size: Math.round(262_141 * scale) },
  ];
}

/** Creates <parent>/<name>/... from specs; returns the folder. */
export function makeFolder(parent: string, name: string, files: FileSpec[], seed = name): string {
  const root = join(parent, name);
  for (const f of files) writeSeededFile(join(root, ...f.path.split('/')), f.size, `${seed}/${f.path}`);
  return root;
}

export interface TorrentMeta {
  path: string;
  infohash: string;
  pieces: number;
  pieceLength: number;
  files: number;
  totalSize: number;
}

export interface MakeTorrentOptions {
  trackers?: string[];
  /** bytes; 0 or absent = libtorrent's choice */
  pieceSize?: number;
}

/** A v1-only .torrent of a file or folder, by libtorrent's create_torrent (helper script
 * peers/lt_make_torrent.py). */
export async function makeTorrent(source: string, out: string, opts: MakeTorrentOptions = {}): Promise<TorrentMeta> {
  const args = [`${PEERS_DIR}/lt_make_torrent.py`, source, out];
  for (const t of opts.trackers ?? []) args.push('--tracker', t);
  if (opts.pieceSize) args.push('--piece-size', String(opts.pieceSize));
  const r = await runCommand(PYTHON, args, { timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(`interop: lt_make_torrent.py failed (${r.code}): ${r.stderr || r.stdout}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number | string>;
  return {
    path: out,
    infohash: String(m.infohash),
    pieces: Number(m.pieces),
    pieceLength: Number(m.piece_length),
    files: Number(m.files),
    totalSize: Number(m.total_size),
  };
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path, { highWaterMark: 1 << 20 })
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

/** SHA-256 of every regular file under root, keyed by '/'-separated relative path. A single
 * file `root` gives one entry keyed by ''. */
export async function sha256Tree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const st = statSync(root);
  if (st.isFile()) {
    out.set('', await sha256File(root));
    return out;
  }
  const walk = async (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const s = statSync(p);
      if (s.isDirectory()) await walk(p);
      else if (s.isFile()) out.set(relative(root, p).split(sep).join('/'), await sha256File(p));
    }
  };
  await walk(root);
  return out;
}

/** Compares what a peer wrote with the original. Extra files in `got` (client state such as
 * aria2's .aria2 control files, .torrent copies) are ignored; missing or different ones are
 * listed. Empty array = identical. */
export async function compareTrees(expectedRoot: string, gotRoot: string): Promise<string[]> {
  const want = await sha256Tree(expectedRoot);
  let got: Map<string, string>;
  try {
    got = await sha256Tree(gotRoot);
  } catch {
    return [`${gotRoot} does not exist`];
  }
  const problems: string[] = [];
  for (const [path, hash] of want) {
    const g = got.get(path);
    if (g === undefined) problems.push(`missing ${path || gotRoot}`);
    else if (g !== hash) problems.push(`sha256 differs for ${path || gotRoot}`);
  }
  return problems;
}
