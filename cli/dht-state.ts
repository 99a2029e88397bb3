import { readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SavedRoutingTable } from '../core/dht/routing-table.js';

/**
 * The DHT routing table across runs (issue #5: "the routing table is saved
 * and reused at the next start"), as Transmission keeps dht.dat and libtorrent its session
 * state: our node id and the contacts we knew (BEP5-RT-8: "persist the table"). The next start bootstraps from them (they are
 * questionable until they answer), so a client that ran once does not depend on the routers.
 *
 * Never fatal: a missing file is a first start; an unreadable or malformed one is reported and
 * ignored (the routers are still there). Written atomically (temp file, then rename), so a
 * crash mid-write leaves the previous table.
 */
export function loadDhtState(path: string, warn: (msg: string) => void): SavedRoutingTable | undefined {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') warn(`cannot read DHT state ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    return undefined;
  }
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null) throw new Error('not an object');
    const o = v as Record<string, unknown>;
    if (typeof o.id !== 'string' || !/^[0-9a-f]{40}$/.test(o.id)) throw new Error('no 40-hex-digit node id');
    if (!Array.isArray(o.nodes)) throw new Error('no node list');
    // Rows are checked one by one when the table is rebuilt (RoutingTable.load skips bad ones).
    return { id: o.id, nodes: o.nodes as SavedRoutingTable['nodes'] };
  } catch (e) {
    warn(`ignoring DHT state ${path}: ${(e as Error).message}`);
    return undefined;
  }
}

export function saveDhtState(path: string, table: SavedRoutingTable): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(table)}\n`);
  renameSync(tmp, path);
}
