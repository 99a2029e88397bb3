import type { Address } from '../seam/net.js';
import { BtLabError } from './errors.js';
import { parseHostPort as parseOrReason } from '../magnet/peer-address.js';

/**
 * Parse `host:port`, `1.2.3.4:port` or `[v6]:port` (BEP9-MAG-5 forms) for CLI flags and
 * plugin options; throws a typed error naming the input. The grammar lives in
 * core/magnet/peer-address.ts (which reports the reason instead of throwing).
 */
export function parseHostPort(s: string): Address {
  const r = parseOrReason(s);
  if (typeof r === 'string') throw new BtLabError('EADDRESS', `not a host:port address: "${s}" (${r})`, { input: s });
  return r;
}
