import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { fromUtf8Strict } from '../../core/util/bytes.js';
import { MetainfoError, StorageError } from '../../core/util/errors.js';
import { assertSafePath } from '../../core/metainfo/paths.js';

export interface WalkedFile {
  /** Components relative to the root folder ([name] for a single file). */
  path: string[];
  /** Absolute path on disk. */
  abs: string;
  length: number;
}

export interface WalkResult {
  /** basename of the root: the torrent name. */
  name: string;
  multiFile: boolean;
  files: WalkedFile[];
  /** Things that cannot be expressed in a v1 torrent and were left out (empty folders). */
  warnings: string[];
}

/**
 * List the files under `root` in torrent order.
 *
 * Order: each folder's entries sorted by the raw bytes of their names, depth first — so the
 * order is the same on every machine and file system (readdir order is not), and equals the
 * component-wise byte order of the paths.
 *
 * Symlinks are followed, as mktorrent and libtorrent's add_files do: the torrent carries the
 * content the user sees. A link loop (a folder that contains itself) and a dangling link are
 * errors. Sockets, FIFOs and devices are errors, not skipped: nothing is left out silently
 * except empty folders, which v1 cannot represent and which are reported in `warnings`.
 * Hidden files are included (libtorrent skips dot files; mktorrent does not).
 */
export async function walkForTorrent(root: string): Promise<WalkResult> {
  const absRoot = resolve(root);
  const name = basename(absRoot);
  const st = await statOrFail(absRoot);
  assertSafePath([name], 'info.name');
  if (st.isFile()) return { name, multiFile: false, files: [{ path: [name], abs: absRoot, length: st.size }], warnings: [] };
  if (!st.isDirectory()) throw new StorageError(`${absRoot} is neither a file nor a folder`, { path: absRoot });

  const files: WalkedFile[] = [];
  const warnings: string[] = [];
  const visit = async (dir: string, rel: string[], ancestors: Set<string>): Promise<void> => {
    let names: Buffer[];
    try {
      names = await readdir(dir, { encoding: 'buffer' });
    } catch (e) {
      throw new StorageError(`cannot read folder ${dir}: ${(e as Error).message}`, { path: dir });
    }
    names.sort(Buffer.compare);
    const before = files.length;
    for (const raw of names) {
      const comp = fromUtf8Strict(raw);
      if (comp === undefined) throw new MetainfoError(`file name ${JSON.stringify(raw.toString('latin1'))} in ${dir} is not UTF-8 (BEP3-META-2)`, { path: dir });
      const abs = join(dir, comp);
      const path = [...rel, comp];
      assertSafePath(path, abs);
      const s = await statOrFail(abs);
      if (s.isDirectory()) {
        const id = `${s.dev}:${s.ino}`;
        if (ancestors.has(id)) throw new StorageError(`symlink loop: ${abs} leads back to a folder above it`, { path: abs });
        await visit(abs, path, new Set([...ancestors, id]));
      } else if (s.isFile()) {
        files.push({ path, abs, length: s.size });
      } else {
        throw new StorageError(`${abs} is not a regular file or folder (socket, FIFO or device)`, { path: abs });
      }
    }
    if (files.length === before && rel.length > 0) warnings.push(`empty folder left out (v1 torrents cannot hold one): ${rel.join('/')}`);
  };
  await visit(absRoot, [], new Set([`${st.dev}:${st.ino}`]));
  if (files.length === 0) throw new MetainfoError(`${absRoot} holds no files`, { path: absRoot });
  return { name, multiFile: true, files, warnings };
}

async function statOrFail(p: string) {
  try {
    return await stat(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StorageError(code === 'ENOENT' ? `${p} does not exist (or is a dangling symlink)` : `cannot stat ${p}: ${(e as Error).message}`, { path: p, code });
  }
}
