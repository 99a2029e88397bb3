import { ProtocolError } from '../util/errors.js';
import type { ExtHandshake } from './handshake.js';

/**
 * Per-connection extension ids (BEP10-HS-2/3/6). Two independent maps:
 * - LOCAL: the ids we advertise in our `m`; the peer tags messages TO US with them, so an
 *   incoming extended message id is looked up here.
 * - REMOTE: the ids the peer advertised; we tag messages TO THE PEER with them (HS-3).
 * A later handshake from the peer updates REMOTE additively; an id of 0 disables (HS-6).
 */
export const DEFAULT_LOCAL_EXTENSIONS: Readonly<Record<string, number>> = Object.freeze({ ut_metadata: 1, ut_pex: 2 });

/**
 * Local tables never change once built, and every connection of a client uses the same ones:
 * registries made from the same frozen object share them (two Maps fewer per connection — a
 * simulated swarm holds hundreds of thousands of connections).
 */
const sharedLocal = new WeakMap<object, { local: Map<string, number>; localById: Map<number, string> }>();
const NO_REMOTE: ReadonlyMap<string, number> = new Map();

/**
 * Remote tables, shared between connections whose peers advertised the same ids in the same
 * order (in a swarm of one client kind: all of them) — a Map per connection was ≈ 200 bytes,
 * with hundreds of thousands of connections in a big simulation. Never mutated once shared: an
 * update builds the next table. Bounded: starts over when it holds REMOTE_TABLES_MAX tables.
 */
const remoteTables = new Map<string, ReadonlyMap<string, number>>();
const REMOTE_TABLES_MAX = 1024;

function sharedRemote(table: Map<string, number>): ReadonlyMap<string, number> {
  const key = JSON.stringify([...table]); // names are arbitrary peer strings: an unambiguous key
  const hit = remoteTables.get(key);
  if (hit !== undefined) return hit;
  if (remoteTables.size >= REMOTE_TABLES_MAX) remoteTables.clear();
  remoteTables.set(key, table);
  return table;
}

export class ExtensionRegistry {
  private readonly local: Map<string, number>;
  private readonly localById: Map<number, string>;
  /** Set by the peer's first extension handshake; shared (see sharedRemote), never mutated. */
  private remote: ReadonlyMap<string, number> | null = null;

  constructor(local: Record<string, number> = DEFAULT_LOCAL_EXTENSIONS) {
    const shared = sharedLocal.get(local);
    if (shared !== undefined) { this.local = shared.local; this.localById = shared.localById; return; }
    this.local = new Map();
    this.localById = new Map();
    for (const [name, id] of Object.entries(local)) {
      // HS-2: ids must not collide; 0 is the handshake itself.
      if (!Number.isInteger(id) || id < 1 || id > 255) throw new ProtocolError(`local extension id for ${name} must be 1..255`, { name, id });
      if (this.localById.has(id)) throw new ProtocolError(`local extension id ${id} used twice`, { name, id });
      this.local.set(name, id);
      this.localById.set(id, name);
    }
    if (Object.isFrozen(local)) sharedLocal.set(local, { local: this.local, localById: this.localById });
  }

  /** The `m` dict for our handshake. */
  localM(): Record<string, number> { return Object.fromEntries(this.local); }

  /** Name of the extension an incoming extended message (id ≠ 0) belongs to. */
  nameForIncoming(id: number): string | undefined { return this.localById.get(id); }

  /** Apply the peer's handshake (first or later): HS-6 additive update, 0 disables. */
  applyRemote(h: Pick<ExtHandshake, 'm'>): void {
    const next = new Map(this.remote ?? NO_REMOTE);
    for (const [name, id] of Object.entries(h.m)) {
      if (id === 0) next.delete(name);
      else next.set(name, id);
    }
    this.remote = next.size === 0 ? null : sharedRemote(next);
  }

  /** Id to tag our messages for `name` with (HS-3); undefined when the peer lacks it. */
  remoteId(name: string): number | undefined { return (this.remote ?? NO_REMOTE).get(name); }

  supports(name: string): boolean { return (this.remote ?? NO_REMOTE).has(name); }

  remoteNames(): string[] { return [...(this.remote ?? NO_REMOTE).keys()]; }
}
