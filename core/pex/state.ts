/**
 * Per-connection PEX state (BEP 11), pure: no timers, the caller passes `now`.
 *
 * Sending: `poll(now, connected)` diffs the torrent's current peer list against what this
 * remote has already been told and returns the next message, or null when one is not due.
 * Limits (BEP 11, and the µTorrent/Azureus convention it inherits):
 *   - at most one message per `intervalMs` (60 s);
 *   - after the first message, at most 50 added and 50 dropped, counted over both families;
 *     the first may list up to `firstMaxAdded` (the peers we are connected to at that time);
 *   - nothing is sent when nothing changed (µTorrent sends no empty PEX, and some clients
 *     count empty ones against the rate);
 *   - the remote itself is never advertised to it; a peer that was never advertised is never
 *     reported dropped.
 * Peers beyond a message's cap stay pending and go out in later messages.
 *
 * Receiving: `receive(now, msg)` applies the receiver's side of the same limits — a message
 * arriving sooner than `minReceiveIntervalMs` (45 s: "some tolerance for just under a
 * minute") is ignored as a flood; at most `firstMaxAdded` / `maxAdded` added peers are kept.
 */
import type { Millis } from '../seam/time.js';
import { addressKey, type Address } from '../seam/net.js';
import { internAddress } from '../util/address-intern.js';
import type { PexMessage, PexPeer } from './codec.js';

export interface PexStateOptions {
  intervalMs: Millis;
  maxAdded: number;
  maxDropped: number;
  firstMaxAdded: number;
  minReceiveIntervalMs: Millis;
}

export const defaultPexOptions: Readonly<PexStateOptions> = Object.freeze({
  intervalMs: 60_000, maxAdded: 50, maxDropped: 50, firstMaxAdded: 200, minReceiveIntervalMs: 45_000,
});

export interface PexReceived {
  /** Peers to hand to the torrent's pool (engine: addPeers(added.map(p => p.addr), 'pex')). */
  added: PexPeer[];
  dropped: Address[];
  /** True when the message came too soon and was ignored. */
  flood: boolean;
}

export class PexState {
  readonly options: Readonly<PexStateOptions>;
  /** What this remote has been told, in the order told (entries are shared with the torrent's list). */
  private advertised: Array<PexPeer & { key: string }> = [];
  private lastSentAt = -Infinity;
  private lastReceivedAt = -Infinity;
  private sentCount = 0;
  private readonly remoteKey: string;

  constructor(private readonly remote: Address, opts?: Partial<PexStateOptions>) {
    // Shared, not copied, when there are no overrides (one PexState per connection).
    this.options = opts === undefined ? defaultPexOptions : { ...defaultPexOptions, ...opts };
    this.remoteKey = internAddress(remote).key;
  }

  /** When the next message may go out (the caller's timer, or compare in its tick). */
  nextDueAt(): Millis { return this.lastSentAt + this.options.intervalMs; }

  /** Messages sent so far. */
  get messagesSent(): number { return this.sentCount; }

  /** The message to send now, or null (not due, or nothing changed). */
  poll(now: Millis, connected: readonly PexPeer[]): PexMessage | null {
    if (now < this.nextDueAt()) return null;
    const first = this.sentCount === 0;
    const maxAdded = first ? this.options.firstMaxAdded : this.options.maxAdded;
    const current = new Map<string, PexPeer>();
    for (const p of connected) {
      const k = p.key ?? addressKey(p.addr);
      if (k !== this.remoteKey && !current.has(k)) current.set(k, p);
    }
    const added: PexPeer[] = [];
    const told = new Set<string>();
    for (const p of this.advertised) told.add(p.key);
    const newlyTold: Array<PexPeer & { key: string }> = [];
    for (const [k, p] of current) {
      if (added.length >= maxAdded) break;
      if (told.has(k)) continue;
      added.push(p);
      newlyTold.push(p.key === k ? (p as PexPeer & { key: string }) : { ...p, key: k });
    }
    const dropped: Address[] = [];
    const droppedKeys = new Set<string>();
    for (const p of this.advertised) {
      if (dropped.length >= this.options.maxDropped) break;
      if (!current.has(p.key)) { dropped.push(p.addr); droppedKeys.add(p.key); }
    }
    if (added.length === 0 && dropped.length === 0) return null;
    // Entries (and their key strings) are shared with the torrent's list, not copied per remote.
    const next = droppedKeys.size ? this.advertised.filter((p) => !droppedKeys.has(p.key)) : this.advertised;
    for (const p of newlyTold) next.push(p);
    this.advertised = next;
    this.lastSentAt = now;
    this.sentCount++;
    return { added, dropped };
  }

  /** An incoming ut_pex message from this remote (already decoded). */
  receive(now: Millis, msg: PexMessage): PexReceived {
    const first = this.lastReceivedAt === -Infinity;
    if (!first && now - this.lastReceivedAt < this.options.minReceiveIntervalMs) return { added: [], dropped: [], flood: true };
    this.lastReceivedAt = now;
    const cap = first ? this.options.firstMaxAdded : this.options.maxAdded;
    const r = this.remote;
    const added: PexPeer[] = [];
    for (const p of msg.added) {
      if (added.length >= cap) break;
      if (p.addr.port > 0 && !(p.addr.port === r.port && p.addr.host === r.host)) added.push(p);
    }
    return { added, dropped: msg.dropped.slice(0, this.options.maxDropped), flood: false };
  }
}

/**
 * The entry to advertise for one of our connections, or null when it has no dialable address:
 * an outgoing connection's remote address is its listen address (flag `reachable`); an
 * incoming one is advertised only if its extension handshake gave a listen port (`p`), since
 * its source port is ephemeral.
 */
export function pexEntryFor(c: { remote: Address; outgoing: boolean; listenPort?: number; isSeed?: boolean }, key?: string): PexPeer | null {
  const port = c.outgoing ? c.remote.port : c.listenPort;
  if (!port || port <= 0 || port > 65535) return null;
  // The shared Address and key string (util/address-intern.ts): every remote's PexState then
  // holds the same strings instead of its own copy of each address.
  const a = internAddress({ host: c.remote.host, port });
  return { addr: a.addr, flags: (c.outgoing ? 0x10 : 0) | (c.isSeed ? 0x02 : 0), key: key ?? a.key };
}
