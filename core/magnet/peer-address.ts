import type { Address } from '../seam/net.js';

/**
 * Parse `host:port`, `ipv4:port` or `[ipv6]:port` (BEP9-MAG-5 x.pe; also handy for CLI
 * flags). Returns the reason as a string on failure so callers raise their own typed error.
 * The host is kept without brackets (addressKey() puts them back for IPv6).
 */
export function parseHostPort(s: string): Address | string {
  let host: string, portStr: string;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return 'missing ] after an IPv6 address';
    host = s.slice(1, close);
    if (s[close + 1] !== ':') return 'missing :port after ]';
    portStr = s.slice(close + 2);
    if (!/^[0-9A-Fa-f:.]+$/.test(host) || !host.includes(':')) return `"${host}" is not an IPv6 address`;
  } else {
    const colon = s.lastIndexOf(':');
    if (colon < 0) return 'missing :port';
    host = s.slice(0, colon);
    portStr = s.slice(colon + 1);
    if (host.includes(':')) return 'an IPv6 address must be written in [brackets]';
    // A host name or IPv4 literal: letters, digits, '-', '.', '_' only — no spaces, slashes or '@'.
    if (!/^[A-Za-z0-9._-]+$/.test(host)) return `"${host}" is not a host name or address`;
  }
  if (!/^[0-9]{1,5}$/.test(portStr)) return `port "${portStr}" is not a number`;
  const port = Number(portStr);
  if (port < 1 || port > 65535) return `port ${port} is out of range 1..65535`;
  return { host, port };
}
