import type { Address } from '../seam/net.js';
import { addressKey } from '../seam/net.js';
import type { Millis, Random } from '../seam/time.js';
import { fromHex, toHex } from '../util/bytes.js';
import type { NodeInfo } from './compact.js';
import { bitAt, commonPrefixBits, compareDistance, ID_BITS, isNodeId, randomIdInRange } from './node-id.js';

/**
 * The BEP 5 routing table. Buckets are kept in the usual "split only along our own id" shape
 * (RT-3/RT-5): bucket i < last holds the nodes whose id shares exactly i leading bits with ours;
 * the last bucket holds everything sharing at least `last` bits, and is the only one that ever
 * splits. Together they cover [0, 2^160). Each bucket holds at most K contacts (RT-4).
 *
 * Nodes enter only after they answered one of our queries (RT-1: the table holds nodes known to
 * be good, and an answer to our random transaction id also proves the address is not spoofed).
 * The table is pure data: it never sends anything. When it wants questionable nodes pinged
 * (RT-6) it says so in its return value, and the DhtNode does the pinging.
 */

export const DEFAULT_K = 8;
/** RT-2: a node is good if it answered within the last 15 minutes. */
export const GOOD_FOR_MS = 15 * 60_000;
/** RT-7: refresh a bucket nobody touched for 15 minutes. */
export const REFRESH_AFTER_MS = 15 * 60_000;

export type NodeState = 'good' | 'questionable' | 'bad';

export interface RoutingEntry {
  id: Uint8Array;
  addr: Address;
  /** Last answer to one of our queries; undefined for contacts loaded from a saved table. */
  lastResponse?: Millis;
  /** Last query it sent us (RT-2: keeps an ever-answering node good). */
  lastQuery?: Millis;
  /** Consecutive unanswered queries; reset by any answer. */
  failures: number;
  /** When we last asked for it to be pinged (so a full bucket does not ping it on every insert). */
  pingRequested?: Millis;
}

interface Bucket {
  entries: RoutingEntry[];
  /** Verified newcomers that found the bucket full; they replace bad nodes (RT-6). Newest last. */
  replacements: RoutingEntry[];
  lastChanged: Millis;
}

export interface RoutingTableOptions {
  k?: number;
  /** Unanswered queries after which a node is bad (default 2). */
  maxFailures?: number;
  goodForMs?: Millis;
  refreshAfterMs?: Millis;
}

export interface HeardResult {
  /** The node is (now) in the table. */
  inTable: boolean;
  /** Questionable nodes the caller should ping, least recently seen first (RT-6). */
  ping: RoutingEntry[];
}

/** What `save()` gives: plain JSON, so the host can persist it anywhere (RT-8). */
export interface SavedRoutingTable {
  id: string;
  nodes: Array<{ id: string; host: string; port: number }>;
}

export class RoutingTable {
  readonly id: Uint8Array;
  readonly k: number;
  private readonly maxFailures: number;
  private readonly goodForMs: Millis;
  private readonly refreshAfterMs: Millis;
  private buckets: Bucket[];
  private byKey = new Map<string, RoutingEntry>(); // hex id → entry
  private byAddr = new Map<string, RoutingEntry>(); // host:port → entry

  constructor(ownId: Uint8Array, opts: RoutingTableOptions = {}, now: Millis = 0) {
    if (!isNodeId(ownId)) throw new TypeError('routing table: own id must be 20 bytes');
    this.id = ownId;
    this.k = opts.k ?? DEFAULT_K;
    this.maxFailures = opts.maxFailures ?? 2;
    this.goodForMs = opts.goodForMs ?? GOOD_FOR_MS;
    this.refreshAfterMs = opts.refreshAfterMs ?? REFRESH_AFTER_MS;
    this.buckets = [{ entries: [], replacements: [], lastChanged: now }]; // RT-3: one bucket at start
  }

  get size(): number { return this.byKey.size; }
  get bucketCount(): number { return this.buckets.length; }

  /** Entries of each bucket (read-only view, for tests, stats and the bench). */
  bucketEntries(): ReadonlyArray<readonly RoutingEntry[]> { return this.buckets.map((b) => b.entries); }

  get(id: Uint8Array): RoutingEntry | undefined { return this.byKey.get(toHex(id)); }
  getByAddr(a: Address): RoutingEntry | undefined { return this.byAddr.get(addressKey(a)); }

  /** RT-2. */
  stateOf(e: RoutingEntry, now: Millis): NodeState {
    if (e.failures >= this.maxFailures) return 'bad';
    if (e.lastResponse !== undefined &&
      (now - e.lastResponse < this.goodForMs || (e.lastQuery !== undefined && now - e.lastQuery < this.goodForMs))) return 'good';
    return 'questionable';
  }

  /** Index of the bucket whose range holds `id`. */
  bucketIndex(id: Uint8Array): number {
    return Math.min(commonPrefixBits(this.id, id), this.buckets.length - 1);
  }

  /** `node` answered one of our queries: refresh it, or try to insert it (RT-5, RT-6). */
  heard(node: NodeInfo, now: Millis): HeardResult {
    const none: HeardResult = { inTable: false, ping: [] };
    if (!isNodeId(node.id) || commonPrefixBits(node.id, this.id) === ID_BITS) return none;
    const known = this.get(node.id);
    if (known) {
      // Same id from another address: keep the contact we verified first (an id is cheap to
      // claim, so a second address must not hijack it).
      if (addressKey(known.addr) !== addressKey(node.addr)) return { inTable: true, ping: [] };
      known.lastResponse = now;
      known.failures = 0;
      known.pingRequested = undefined;
      this.buckets[this.bucketIndex(node.id)].lastChanged = now;
      return { inTable: true, ping: [] };
    }
    const sameAddr = this.byAddr.get(addressKey(node.addr));
    if (sameAddr) {
      // A node that restarted with a new id: replace the old contact only once it went bad.
      if (this.stateOf(sameAddr, now) !== 'bad') return none;
      this.remove(sameAddr.id);
    }
    const entry: RoutingEntry = { id: node.id, addr: node.addr, lastResponse: now, failures: 0 };
    return this.insert(entry, now);
  }

  /** `node` sent us a query. Returns true when it is in the table (its lastQuery is updated). */
  queried(node: NodeInfo, now: Millis): boolean {
    const e = this.get(node.id);
    if (!e || addressKey(e.addr) !== addressKey(node.addr)) return false;
    e.lastQuery = now;
    this.buckets[this.bucketIndex(node.id)].lastChanged = now;
    return true;
  }

  /**
   * Would a node with this id get into the table (room, a split, or a bad node to replace)?
   * The DhtNode pings unknown queriers only when this is true, so a flood of strangers does not
   * make us send a flood of pings.
   */
  wouldAccept(id: Uint8Array, now: Millis): boolean {
    if (this.get(id) || commonPrefixBits(id, this.id) === ID_BITS) return false;
    const i = this.bucketIndex(id);
    const b = this.buckets[i];
    if (b.entries.length < this.k) return true;
    if (i === this.buckets.length - 1 && this.buckets.length < ID_BITS) return true;
    return b.entries.some((e) => this.stateOf(e, now) !== 'good');
  }

  /** A query to this node went unanswered. When it turns bad, a replacement takes its place. */
  failed(id: Uint8Array, now: Millis): void {
    const e = this.get(id);
    if (!e) return;
    e.failures++;
    if (this.stateOf(e, now) !== 'bad') return;
    const b = this.buckets[this.bucketIndex(id)];
    const rep = b.replacements.pop();
    if (rep) {
      this.remove(id);
      this.place(rep, now);
    }
  }

  remove(id: Uint8Array): boolean {
    const key = toHex(id);
    const e = this.byKey.get(key);
    if (!e) return false;
    const b = this.buckets[this.bucketIndex(id)];
    b.entries = b.entries.filter((x) => x !== e);
    this.byKey.delete(key);
    this.byAddr.delete(addressKey(e.addr));
    return true;
  }

  /**
   * The `k` contacts closest to `target` by XOR (BEP5-ID-2), bad ones left out. The table holds
   * at most 160·K entries, so a full sort is cheap and obviously right.
   */
  closest(target: Uint8Array, k: number = this.k, now?: Millis): NodeInfo[] {
    const all: RoutingEntry[] = [];
    for (const e of this.byKey.values()) {
      if (now !== undefined ? this.stateOf(e, now) !== 'bad' : e.failures < this.maxFailures) all.push(e);
    }
    all.sort((a, b) => compareDistance(target, a.id, b.id));
    return all.slice(0, k).map((e) => ({ id: e.id, addr: e.addr }));
  }

  all(): RoutingEntry[] { return [...this.byKey.values()]; }

  /** Questionable entries, least recently seen first, that were not asked to be pinged lately. */
  questionable(now: Millis, notPingedForMs = 60_000): RoutingEntry[] {
    return this.all()
      .filter((e) => this.stateOf(e, now) === 'questionable' && (e.pingRequested === undefined || now - e.pingRequested >= notPingedForMs))
      .sort((a, b) => (a.lastResponse ?? -Infinity) - (b.lastResponse ?? -Infinity));
  }

  /**
   * RT-7: a random target inside each bucket nobody touched for 15 minutes. The buckets are
   * marked as refreshed now (the caller runs a find_node for each target).
   */
  refreshTargets(now: Millis, rng: Random): Uint8Array[] {
    const out: Uint8Array[] = [];
    const last = this.buckets.length - 1;
    this.buckets.forEach((b, i) => {
      if (now - b.lastChanged < this.refreshAfterMs) return;
      b.lastChanged = now;
      out.push(randomIdInRange(this.id, i, i < last, rng));
    });
    return out;
  }

  save(): SavedRoutingTable {
    return { id: toHex(this.id), nodes: this.all().map((e) => ({ id: toHex(e.id), host: e.addr.host, port: e.addr.port })) };
  }

  /**
   * Rebuild a table from `save()` output (RT-8). Loaded contacts are questionable until they
   * answer again; malformed rows are skipped.
   */
  static load(saved: SavedRoutingTable, opts: RoutingTableOptions = {}, now: Millis = 0): RoutingTable {
    const t = new RoutingTable(fromHex(saved.id), opts, now);
    for (const n of saved.nodes ?? []) {
      let id: Uint8Array;
      try { id = fromHex(n.id); } catch { continue; }
      if (!isNodeId(id) || typeof n.host !== 'string' || !(n.port > 0 && n.port < 65536)) continue;
      if (t.get(id) || t.getByAddr(n)) continue;
      t.insert({ id, addr: { host: n.host, port: n.port }, failures: 0 }, now);
    }
    return t;
  }

  // -------------------------------------------------------------------------------------------

  private insert(entry: RoutingEntry, now: Millis): HeardResult {
    for (;;) {
      const i = this.bucketIndex(entry.id);
      const b = this.buckets[i];
      if (b.entries.length < this.k) { this.place(entry, now); return { inTable: true, ping: [] }; }
      // RT-5: a full bucket splits only when our own id falls in it (always the last one).
      if (i === this.buckets.length - 1 && this.buckets.length < ID_BITS) { this.split(); continue; }
      // RT-6: bad nodes are replaced at once.
      const bad = b.entries.find((e) => this.stateOf(e, now) === 'bad');
      if (bad) { this.remove(bad.id); this.place(entry, now); return { inTable: true, ping: [] }; }
      // Keep the newcomer as a replacement; ask for the questionable ones to be pinged.
      if (entry.lastResponse !== undefined) {
        b.replacements = b.replacements.filter((r) => addressKey(r.addr) !== addressKey(entry.addr) && toHex(r.id) !== toHex(entry.id));
        b.replacements.push(entry);
        if (b.replacements.length > this.k) b.replacements.shift();
      }
      const ping = b.entries
        .filter((e) => this.stateOf(e, now) === 'questionable' && (e.pingRequested === undefined || now - e.pingRequested >= 60_000))
        .sort((x, y) => (x.lastResponse ?? -Infinity) - (y.lastResponse ?? -Infinity));
      for (const e of ping) e.pingRequested = now;
      return { inTable: false, ping };
    }
  }

  private place(entry: RoutingEntry, now: Millis): void {
    const b = this.buckets[this.bucketIndex(entry.id)];
    b.entries.push(entry);
    b.lastChanged = now;
    this.byKey.set(toHex(entry.id), entry);
    this.byAddr.set(addressKey(entry.addr), entry);
  }

  /** Split the last bucket: entries sharing more than `last` bits with us move to a new last. */
  private split(): void {
    const last = this.buckets.length - 1;
    const old = this.buckets[last];
    const next: Bucket = { entries: [], replacements: [], lastChanged: old.lastChanged };
    const mine = bitAt(this.id, last);
    const stay = (e: RoutingEntry) => bitAt(e.id, last) !== mine;
    next.entries = old.entries.filter((e) => !stay(e));
    next.replacements = old.replacements.filter((e) => !stay(e));
    old.entries = old.entries.filter(stay);
    old.replacements = old.replacements.filter(stay);
    this.buckets.push(next);
  }
}
