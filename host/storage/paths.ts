import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { TorrentInfo } from '../../core/metainfo/types.js';
import { StorageError } from '../../core/util/errors.js';

/** Folder (under the download dir) holding bt-lab's own state; torrent files may not land in it. */
export const STATE_DIR = '.bt-lab';

/**
 * Absolute path of every file of the torrent: dir/name for a single file, dir/name/path... for
 * several. The metainfo parser already rejects '..', absolute and separator-holding components;
 * this is defence in depth (a TorrentInfo built by other code, a name that is not validated,
 * Windows-style separators): every resolved path must be strictly inside `dir` and outside the
 * state folder, else StorageError — before any file is touched.
 */
export function torrentFilePaths(dir: string, info: Pick<TorrentInfo, 'name' | 'files' | 'multiFile'>): string[] {
  const root = resolve(dir);
  const state = resolve(root, STATE_DIR);
  const seen = new Set<string>();
  return info.files.map((f, i) => {
    if (info.multiFile && f.path.length === 0) throw new StorageError('empty file path (BEP3-META-8)', { file: i, path: info.name });
    const parts = info.multiFile ? [info.name, ...f.path] : [info.name];
    for (const c of parts) {
      if (c === '' || c === '.' || c === '..' || c.includes('/') || c.includes('\\') || c.includes('\0') || isAbsolute(c)) {
        throw new StorageError('unsafe path component', { file: i, component: c, path: parts.join('/') });
      }
    }
    const p = resolve(root, ...parts);
    if (!inside(root, p) || p === state || inside(state, p)) {
      throw new StorageError('file path escapes the download folder', { file: i, path: p, dir: root });
    }
    if (seen.has(p)) throw new StorageError('two files of the torrent share one path', { file: i, path: p });
    seen.add(p);
    return p;
  });
}

function inside(root: string, p: string): boolean {
  const r = relative(root, p);
  return r !== '' && !r.startsWith('..' + sep) && r !== '..' && !isAbsolute(r);
}
