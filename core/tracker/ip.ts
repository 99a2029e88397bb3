/**
 * IP literal <-> bytes, for compact peers (BEP 23, BEP 7) and the tracker server. Strict:
 * anything that is not a canonical literal returns null, so a DNS name is never mistaken
 * for an address.
 */

export function parseIpv4(s: string): Uint8Array | null {
  const out = new Uint8Array(4);
  return writeIpv4(s, out, 0) ? out : null;
}

/**
 * Parse a canonical dotted-quad into out[o..o+4); false (out left partly written) if `s` is
 * not one. Hand-rolled (no split, no RegExp) and allocation-free: PEX and the tracker server
 * call it per peer entry.
 */
export function writeIpv4(s: string, out: Uint8Array, o: number): boolean {
  let part = 0, n = 0, digits = 0, lead0 = false;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46; // a virtual '.' closes the last part
    if (c === 46) {
      if (digits === 0 || part > 3 || (lead0 && digits > 1)) return false;
      out[o + part++] = n;
      n = 0; digits = 0; lead0 = false;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) lead0 = c === 48;
      if (++digits > 3) return false;
      n = n * 10 + (c - 48);
      if (n > 255) return false;
    } else return false;
  }
  return part === 4;
}

export function parseIpv6(s: string): Uint8Array | null {
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const pct = s.indexOf('%'); // zone id: not part of the address bytes
  if (pct >= 0) s = s.slice(0, pct);
  if (!s.includes(':')) return null;
  let tail4: Uint8Array | null = null;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail4 = parseIpv4(s.slice(lastColon + 1));
    if (!tail4) return null;
    s = s.slice(0, lastColon + 1) + '0:0'; // placeholder groups, overwritten below
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !rest) return null;
  const total = head.length + rest.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return null;
  const all = [...head, ...new Array(8 - total).fill(0), ...rest];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) { out[2 * i] = all[i] >> 8; out[2 * i + 1] = all[i] & 255; }
  if (tail4) out.set(tail4, 12);
  return out;
}

export function formatIpv4(b: Uint8Array, o = 0): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** RFC 5952 text: lowercase, longest run (≥ 2) of zero groups as '::'. */
export function formatIpv6(b: Uint8Array, o = 0): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[o + 2 * i] << 8) | b[o + 2 * i + 1]);
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

/** '::ffff:1.2.3.4' (a v4 peer seen on a dual-stack socket) → '1.2.3.4'; anything else unchanged. */
export function unmapIpv4(host: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  return m ? m[1] : host;
}

export function ipFamily(host: string): 4 | 6 | null {
  if (parseIpv4(host)) return 4;
  if (parseIpv6(host)) return 6;
  return null;
}
