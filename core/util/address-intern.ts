import { addressKey, type Address } from '../seam/net.js';

/**
 * One shared, frozen Address object and key string per distinct address, for the peer pools
 * of every torrent in the process. WHY: each pool keeps an entry for every address it learns
 * (tracker, PEX, DHT), and in a swarm every node learns nearly every other node's address —
 * as a separate object and string per node, that was the largest per-node cost of a
 * 10,000-node simulation after the connections themselves. The values are a pure function of
 * the address, so sharing changes no behaviour. Bounded: the table starts over when it holds
 * INTERN_MAX addresses (a long-running client meets many).
 */
export interface InternedAddress {
  readonly key: string;
  readonly addr: Address;
}

const INTERN_MAX = 200_000;
const byHost = new Map<string, Map<number, InternedAddress>>();
let count = 0;

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
    e = Object.freeze({ key: addressKey(addr), addr });
    byPort.set(a.port, e);
    count++;
  }
  return e;
}
