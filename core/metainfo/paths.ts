import { MetainfoError } from '../util/errors.js';

/**
 * Path safety for torrent names and file paths. A .torrent is untrusted input that names
 * files we will create, so each component must name exactly one entry inside the target
 * folder. We refuse rather than sanitise: a rewritten path would silently differ from what
 * other clients write, and a torrent that needs rewriting is hostile or broken.
 *
 * Refused: '' (BEP3-META-8), '.', '..', anything holding '/', '\\' or NUL (a separator or a
 * C-string terminator inside one component), and a leading drive letter 'C:' — on Windows
 * 'C:x' is drive-relative and escapes the target even without a separator. Colons elsewhere
 * ('12:30.txt') are legal POSIX names and stay allowed.
 */
export function unsafeComponentReason(c: string): string | undefined {
  if (c === '') return 'is empty';
  if (c === '.' || c === '..') return `is '${c}'`;
  if (c.includes('/')) return "contains '/'";
  if (c.includes('\\')) return "contains '\\'";
  if (c.includes('\0')) return 'contains NUL';
  if (/^[A-Za-z]:/.test(c)) return 'starts with a drive letter';
  return undefined;
}

/** Throw a MetainfoError naming `field` and the whole path if any component is unsafe. */
export function assertSafePath(components: readonly string[], field: string): void {
  if (components.length === 0) throw new MetainfoError(`${field} is an empty path (BEP3-META-8)`, { field });
  for (const c of components) {
    const why = unsafeComponentReason(c);
    if (why) {
      throw new MetainfoError(`${field} ${JSON.stringify(components.join('/'))} is unsafe: component ${JSON.stringify(c)} ${why}`, { field, path: [...components] });
    }
  }
}
