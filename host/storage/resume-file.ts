import * as fs from 'node:fs';
import { dirname, join } from 'node:path';
import { decodeResume, encodeResume, type FileStamp, type ResumeRecord } from '../../core/storage/resume-codec.js';
import { StorageError } from '../../core/util/errors.js';
import { STATE_DIR } from './paths.js';
import { wrap } from './fd-cache.js';

export const resumePath = (dir: string, infoHashHex: string): string => join(dir, STATE_DIR, `${infoHashHex}.resume`);

/**
 * Atomic replace: write dir/.bt-lab/<hash>.resume.tmp, fsync it, rename over the real name,
 * fsync the folder. A crash at any point leaves either the old record or the new one, never a
 * torn file (rename is atomic on POSIX file systems).
 */
export function writeResumeAtomic(path: string, rec: ResumeRecord, done: (err: Error | null) => void): void {
  const tmp = `${path}.tmp`;
  const bytes = encodeResume(rec);
  fs.mkdir(dirname(path), { recursive: true }, (err0) => {
    if (err0) return done(wrap('cannot create state folder', dirname(path), err0));
    fs.open(tmp, 'w', 0o666, (err1, fd) => {
      if (err1) return done(wrap('cannot write resume file', tmp, err1));
      const fail = (what: string, e: NodeJS.ErrnoException): void => fs.close(fd, () => done(wrap(what, tmp, e)));
      fs.write(fd, bytes, 0, bytes.length, 0, (err2, n) => {
        if (err2) return fail('cannot write resume file', err2);
        if (n !== bytes.length) return fail('short write of resume file', Object.assign(new Error('short write'), { code: 'EIO' }));
        fs.fsync(fd, (err3) => {
          if (err3) return fail('cannot fsync resume file', err3);
          fs.close(fd, (err4) => {
            if (err4) return done(wrap('cannot close resume file', tmp, err4));
            fs.rename(tmp, path, (err5) => {
              if (err5) return done(wrap('cannot rename resume file', path, err5));
              fsyncDir(dirname(path), done);
            });
          });
        });
      });
    });
  });
}

/** Read and parse a resume record; undefined when absent, StorageError when unreadable/malformed. */
export function readResume(path: string, done: (err: Error | null, rec?: ResumeRecord) => void): void {
  fs.readFile(path, (err, buf) => {
    if (err) return err.code === 'ENOENT' ? done(null, undefined) : done(wrap('cannot read resume file', path, err));
    try { done(null, decodeResume(new Uint8Array(buf.buffer, buf.byteOffset, buf.length))); } catch (e) {
      done(e instanceof StorageError ? new StorageError(e.message.replace(/^storage: /, ''), { ...e.context, path }) : (e as Error));
    }
  });
}

/** fsync a folder so entries created or renamed in it survive a power cut. */
export function fsyncDir(dir: string, done: (err: Error | null) => void): void {
  fs.open(dir, fs.constants.O_RDONLY, (err, fd) => {
    if (err) return done(wrap('cannot open folder for fsync', dir, err));
    fs.fsync(fd, (err2) => fs.close(fd, () => done(err2 ? wrap('cannot fsync folder', dir, err2) : null)));
  });
}

/** Size and mtime (ns) of each path, null where the file does not exist. */
export function stampFiles(paths: readonly string[], done: (err: Error | null, stamps?: Array<FileStamp | null>) => void): void {
  const out = new Array<FileStamp | null>(paths.length).fill(null);
  let left = paths.length;
  let failed = false;
  if (left === 0) { done(null, out); return; }
  paths.forEach((p, i) => {
    fs.stat(p, { bigint: true }, (err, st) => {
      if (failed) return;
      if (err && err.code !== 'ENOENT' && err.code !== 'ENOTDIR') { failed = true; return done(wrap('cannot stat', p, err)); }
      if (!err) {
        if (!st.isFile()) { failed = true; return done(new StorageError(`not a regular file: ${p}`, { path: p, file: i })); }
        out[i] = { size: Number(st.size), mtimeNs: st.mtimeNs };
      }
      if (--left === 0) done(null, out);
    });
  });
}
