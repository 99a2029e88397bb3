import { addressKey, type Address } from '../seam/net.js';

/**
 * One shared, frozen Address object, key string and key hash per distinct address, for the
 * peer pools of every torrent in the process. WHY: each pool keeps an entry for every address
 * it learns (tracker, PEX, DHT), and in a swarm every node learns nearly every other node's
 * address — as a separate object and string per node, that was the largest per-node cost of a
 * 10,000-node simulation after the connections themselves. The values are a pure function of
 * the address, so sharing changes no behaviour. Bounded: the table starts over when it holds
 * INTERN_MAX addresses (a long-running client meets many); entries handed out before stay valid.
 */
export interface InternedAddress {
  readonly key: string;
  readonly addr: Address;
  /** keyHash(key): lets a pool index addresses without a Map of strings. */
  readonly hash: number;
}

const INTERN_MAX = 200_000;
const byHost = new Map<string, Map<number, InternedAddress>>();
let count = 0;

/** FNV-1a over the key's UTF-16 units, as an unsigned 32-bit number. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function internAddress(a: Address): InternedAddress {
  let byPort = byHost.get(a.host);
  if (byPort === undefined) {
    if (count >= INTERN_MAX) { byHost.clear(); count = 0; }
    byPort = new Map();
    byHost.set(a.host, byPort);
  }
  let e = byPort.get(a.port);
  if (e === undefined) {
    const addr = Object.freeze({ host: a.host, port: a.port });
    const key = addressKey(addr);
    e = Object.freeze({ key, addr, hash: keyHash(key) });
    byPort.set(a.port, e);
    count++;
  }
  return e;
}

/**
 * The interned entry for `a` if there is one, else its key and hash computed on the spot —
 * without adding `a` to the table (lookups of addresses nobody stores, such as the ephemeral
 * ports of incoming connections, must not fill it).
 */
export function addressIdentity(a: Address): { readonly key: string; readonly hash: number } {
  const e = byHost.get(a.host)?.get(a.port);
  if (e !== undefined) return e;
  const key = addressKey(a);
  return { key, hash: keyHash(key) };
}
