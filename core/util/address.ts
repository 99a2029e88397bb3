import type { Address } from '../seam/net.js';
import { BtLabError } from './errors.js';

/** Parse `host:port`, `1.2.3.4:port` or `[v6]:port` (BEP9-MAG-5 forms). */
export function parseHostPort(s: string): Address {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(s) ?? /^([^:\[\]\s]+):(\d{1,5})$/.exec(s);
  const port = m ? Number(m[2]) : NaN;
  if (!m || !(port > 0 && port < 65536)) throw new BtLabError('EADDRESS', `not a host:port address: "${s}"`, { input: s });
  return { host: m[1], port };
}
