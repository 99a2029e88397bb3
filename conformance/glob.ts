/**
 * Case selection (`--cases 'BEP15-CONN-*,BEP5-Q-?'`): comma-separated shell-style globs,
 * `*` any run of characters, `?` one character, case-insensitive. A pattern matches a case
 * when it matches its id (`BEP15-CONN-2:txid-echo`) or its clause (`BEP15-CONN-2`), so
 * naming a clause selects every case of it. A leading `!` excludes.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'i');
}

export function makeSelector(spec: string | undefined): (c: { id: string; clause: string }) => boolean {
  const parts = (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const include = parts.filter((p) => !p.startsWith('!')).map(globToRegExp);
  const exclude = parts.filter((p) => p.startsWith('!')).map((p) => globToRegExp(p.slice(1)));
  return (c) => {
    const hit = (r: RegExp) => r.test(c.id) || r.test(c.clause);
    if (exclude.some(hit)) return false;
    return include.length === 0 || include.some(hit);
  };
}
