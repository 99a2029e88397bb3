/**
 * PEX state (BEP 11), pure: no timers, the caller passes `now`.
 *
 * Sending follows libtorrent's ut_pex design: the TORRENT builds one message per interval and
 * every remote gets that same message, instead of each connection diffing the peer list
 * against its own record of what it was told.
 *   - `PexDigest` (one per torrent): once per `intervalMs` (60 s) it diffs our connected set
 *     against what its earlier diffs announced — at most `maxAdded` (50) added and
 *     `maxDropped` (50) dropped, counted over both families; peers beyond the caps stay pending
 *     and go out in later diffs — and encodes the result once. An empty diff is no message
 *     (µTorrent sends no empty PEX, and some clients count empty ones against the rate).
 *   - A remote's FIRST message is instead the full connected set (up to `firstMaxAdded`),
 *     built once per instant and shared by the remotes due then.
 *   - `PexState` (one per connection) only times that remote: at most one message per
 *     `intervalMs`. Its messages after the first are the digest's current diff: a remote's
 *     send times are 60 s apart like the digest's builds, so it gets each build once.
 * WHY shared: per-connection diffs kept, per connection, a record of everything that remote
 * had been told (≈ 0.9 KB each — a quarter of a connection's memory in a 10,000-node
 * simulation) and rebuilt maps of the peer list per remote per minute. What changes for a
 * remote: it may hear of a peer it already knew (the diff after its first list overlaps it),
 * of itself (libtorrent does not filter that either; a client skips its own address, and
 * recognises itself by peer id if it dials it), and of the drop of a peer it was never told
 * about. None of these is wrong by BEP 11, which only asks for the diff and the rate.
 *
 * Receiving: `PexState.receive(now, msg)` applies the receiver's side of the same limits — a
 * message arriving sooner than `minReceiveIntervalMs` (45 s: "some tolerance for just under
 * a minute") is ignored as a flood; at most `firstMaxAdded` / `maxAdded` added peers are kept.
 */
import type { Millis } from '../seam/time.js';
import { addressKey, type Address } from '../seam/net.js';
import { internAddress } from '../util/address-intern.js';
import { encodePexMessage, type PexMessage, type PexPeer } from './codec.js';

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

/** A message ready to send: shared by every remote it goes to, so neither part may be mutated. */
export interface PexOutgoing {
  readonly msg: PexMessage;
  /** encodePexMessage(msg), done once. */
  readonly payload: Uint8Array;
}

/** The current connected set's entries (pexEntryFor of each ready connection), computed only when needed. */
export type PexEntries = () => readonly PexPeer[];

const keyOf = (p: PexPeer): string => p.key ?? addressKey(p.addr);

function outgoing(msg: PexMessage): PexOutgoing {
  return { msg, payload: encodePexMessage(msg) };
}

/** One torrent's outgoing PEX: the shared diff and first-message list (see the header). */
export class PexDigest {
  readonly options: Readonly<PexStateOptions>;
  /** What the diffs so far have announced, in the order announced (key → entry). */
  private announced = new Map<string, PexPeer>();
  private builtAt = -Infinity;
  private diff: PexOutgoing | null = null;
  private listBuiltAt = NaN;
  private list: PexOutgoing | null = null;

  constructor(opts?: Partial<PexStateOptions>) {
    this.options = opts === undefined ? defaultPexOptions : { ...defaultPexOptions, ...opts };
  }

  /** When the next diff will be built. */
  nextBuildAt(): Millis { return this.builtAt + this.options.intervalMs; }

  /**
   * Build the next diff if one is due. The torrent calls this on every tick, whether or not a
   * remote is due, so each diff covers exactly the interval before it (libtorrent: the torrent
   * plugin's tick).
   */
  refresh(now: Millis, entries: PexEntries): void {
    if (now < this.nextBuildAt()) return;
    this.builtAt = now;
    const { maxAdded, maxDropped } = this.options;
    const current = new Map<string, PexPeer>();
    for (const p of entries()) {
      const k = keyOf(p);
      if (!current.has(k)) current.set(k, p);
    }
    const added: PexPeer[] = [];
    for (const [k, p] of current) {
      if (added.length >= maxAdded) break;
      if (!this.announced.has(k)) added.push(p);
    }
    const dropped: Address[] = [];
    for (const [k, p] of this.announced) {
      if (dropped.length >= maxDropped) break;
      if (!current.has(k)) { dropped.push(p.addr); this.announced.delete(k); }
    }
    for (const p of added) this.announced.set(keyOf(p), p);
    this.diff = added.length === 0 && dropped.length === 0 ? null : outgoing({ added, dropped });
  }

  /** The current diff (null: nothing changed in the last interval). */
  currentDiff(): PexOutgoing | null { return this.diff; }

  /** A first message: the connected set, up to `firstMaxAdded` (null when empty); built once per instant. */
  firstMessage(now: Millis, entries: PexEntries): PexOutgoing | null {
    if (this.listBuiltAt !== now) {
      this.listBuiltAt = now;
      const seen = new Set<string>();
      const added: PexPeer[] = [];
      for (const p of entries()) {
        if (added.length >= this.options.firstMaxAdded) break;
        const k = keyOf(p);
        if (!seen.has(k)) { seen.add(k); added.push(p); }
      }
      this.list = added.length === 0 ? null : outgoing({ added, dropped: [] });
    }
    return this.list;
  }
}

/** One remote's PEX: when it may next be sent to, and the receiving limits. */
export class PexState {
  readonly options: Readonly<PexStateOptions>;
  private lastSentAt = -Infinity;
  private lastReceivedAt = -Infinity;
  private sentCount = 0;

  constructor(private readonly remote: Address, opts?: Partial<PexStateOptions>) {
    // Shared, not copied, when there are no overrides (one PexState per connection).
    this.options = opts === undefined ? defaultPexOptions : { ...defaultPexOptions, ...opts };
  }

  /** When the next message may go out. */
  nextDueAt(): Millis { return this.lastSentAt + this.options.intervalMs; }

  /** Messages sent so far. */
  get messagesSent(): number { return this.sentCount; }

  /**
   * The message to send this remote now, or null (not due, or nothing to say): the full list
   * the first time, the digest's diff after that. Shared with other remotes: do not mutate.
   */
  poll(now: Millis, digest: PexDigest, entries: PexEntries): PexOutgoing | null {
    if (now < this.nextDueAt()) return null;
    const m = this.sentCount === 0 ? digest.firstMessage(now, entries) : digest.currentDiff();
    if (m === null) return null;
    this.lastSentAt = now;
    this.sentCount++;
    return m;
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
  // The shared Address and key string (util/address-intern.ts): every message built from it
  // holds the same strings instead of its own copy of each address.
  const a = internAddress({ host: c.remote.host, port });
  return { addr: a.addr, flags: (c.outgoing ? 0x10 : 0) | (c.isSeed ? 0x02 : 0), key: key ?? a.key };
}
