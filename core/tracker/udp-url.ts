import type { Address } from '../seam/net.js';

/** `udp://host:port[/announce]` → the tracker's address (BEP 15 URLs always name a port). */
export function parseUdpTrackerUrl(url: string): Address | null {
  let u: URL;
  try { u = new URL(url); } catch { return null; }
  if (u.protocol !== 'udp:' || !u.hostname || !u.port) return null;
  const port = Number(u.port);
  if (!(port >= 1 && port <= 65535)) return null;
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
}
