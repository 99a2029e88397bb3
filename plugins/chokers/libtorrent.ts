/**
 * libtorrent's session choker (src/choker.cpp unchoke_sort and session_impl's
 * recalculate_unchoke_slots / recalculate_optimistic_unchoke_slots; read for semantics, never
 * copied), as two plugins:
 *
 *  - choker:fixed       `choking_algorithm = fixed_slots_choker`: `slots` unchoke slots
 *                       (unchoke_slots_limit, default 8).
 *  - choker:rate-based  `rate_based_choker`: the slot count follows the upload: sort peers by
 *                       how fast we upload to them; the i-th peer (from 0) counts as a slot if
 *                       we send it at least initialThreshold + i·thresholdStep bytes/s; then
 *                       one more slot. So slots are added while every unchoked peer still gets
 *                       a fair rate (the uplink is not saturated) and stop growing once
 *                       spreading thinner would starve them. Capped by `maxSlots`.
 *
 * Both: the optimistic slots (num_optimistic_unchoke_slots; 0 = max(1, slots/5)) are taken OUT
 * of the slot count, as libtorrent does (so slots=1, optimisticSlots=1 leaves only the
 * optimistic one). Regular slots go to the interested peers ranked by download rate, ties (and
 * everything while seeding, when nobody uploads to us) by the seed mode (default round-robin,
 * libtorrent's default). Optimistic slots rotate to the peer that has waited longest
 * (optimistic.ts), every `optimisticIntervalMs` (30 s). Rounds every `intervalMs` (15 s,
 * libtorrent's unchoke_interval).
 */
import type { Choker, ChokerPeer, ChokerPlugin } from '../../core/plugin-api/choker.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { enumOpt, numOpt } from '../options.js';
import { DEFAULT_QUOTA_BYTES, DEFAULT_QUOTA_MIN_MS, SEED_MODES, SeedRanker, type SeedMode } from './seed-modes.js';
import { LongestWaitingOptimistic } from './optimistic.js';
import type { SlotBound } from './slot-bound.js';

export interface LibtorrentChokerOptions {
  rateBased: boolean;
  /** Fixed: the slot count. Rate-based: ignored (see maxSlots). */
  slots: number;
  /** 0 = max(1, slots / 5). */
  optimisticSlots: number;
  intervalMs: number;
  optimisticIntervalMs: number;
  seedMode: SeedMode;
  quotaBytes: number;
  quotaMinMs: number;
  /** Rate-based: threshold for the first slot and its growth per slot, bytes/s. */
  initialThreshold: number;
  thresholdStep: number;
  /** Rate-based: never more than this many slots in total. */
  maxSlots: number;
}

export const libtorrentDefaults: LibtorrentChokerOptions = {
  rateBased: false, slots: 8, optimisticSlots: 0, intervalMs: 15_000, optimisticIntervalMs: 30_000,
  seedMode: 'round-robin', quotaBytes: DEFAULT_QUOTA_BYTES, quotaMinMs: DEFAULT_QUOTA_MIN_MS,
  initialThreshold: 1024, thresholdStep: 2048, maxSlots: 50,
};

/** The rate-based slot count: peers above a rising threshold, plus one. */
export function rateBasedSlots(peers: readonly ChokerPeer[], initialThreshold: number, step: number): number {
  const rates = peers.map((p) => p.uploadRate).sort((a, b) => b - a);
  let slots = 0;
  let threshold = initialThreshold;
  for (const r of rates) {
    if (r < threshold) break;
    slots++;
    threshold += step;
  }
  return slots + 1;
}

export function libtorrentChoker(opts: Partial<LibtorrentChokerOptions> = {}): Choker {
  const o: LibtorrentChokerOptions = { ...libtorrentDefaults, ...opts };
  const seedRank = new SeedRanker({ mode: o.seedMode, quotaBytes: o.quotaBytes, quotaMinMs: o.quotaMinMs });
  const optimistic = new LongestWaitingOptimistic(o.optimisticIntervalMs, o.intervalMs);
  return {
    intervalMs: o.intervalMs,
    rechoke(peers, ctx) {
      seedRank.observe(peers);
      const interested = peers.filter((p) => p.interested);
      const slots = o.rateBased ? Math.min(o.maxSlots, rateBasedSlots(interested, o.initialThreshold, o.thresholdStep)) : o.slots;
      const opt = Math.min(slots, o.optimisticSlots > 0 ? o.optimisticSlots : Math.max(1, Math.floor(slots / 5)));
      const tie = seedRank.comparator(ctx);
      const ranked = [...interested].sort((a, b) => (ctx.seeding ? 0 : b.downloadRate - a.downloadRate) || tie(a, b));
      const regular = ranked.slice(0, slots - opt);
      const out = new Set(regular.map((p) => p.id));
      const pool = interested.filter((p) => !out.has(p.id));
      for (const id of optimistic.select(pool, opt, ctx, peers)) out.add(id);
      return out;
    },
  };
}

const commonOptions = [
  { name: 'optimisticSlots', type: 'number' as const, default: 0, describe: 'Optimistic slots, taken out of the slots (0 = max(1, slots/5))' },
  { name: 'intervalMs', type: 'number' as const, default: 15_000, describe: 'Rechoke period in ms (libtorrent unchoke_interval)' },
  { name: 'optimisticIntervalMs', type: 'number' as const, default: 30_000, describe: 'Optimistic rotation period in ms' },
  { name: 'seedMode', type: 'string' as const, default: 'round-robin', describe: `Ranking while seeding and for ties: ${SEED_MODES.join(' | ')}` },
  { name: 'quotaBytes', type: 'number' as const, default: DEFAULT_QUOTA_BYTES, describe: 'round-robin: bytes per turn (seeding_piece_quota × piece size)' },
  { name: 'quotaMinMs', type: 'number' as const, default: DEFAULT_QUOTA_MIN_MS, describe: 'round-robin: shortest turn in ms' },
];

function parseCommon(name: string, o: PluginOptions) {
  return {
    optimisticSlots: numOpt(name, o, 'optimisticSlots', 0, 0),
    intervalMs: numOpt(name, o, 'intervalMs', 15_000, 1),
    optimisticIntervalMs: numOpt(name, o, 'optimisticIntervalMs', 30_000, 1),
    seedMode: enumOpt(name, o, 'seedMode', SEED_MODES, 'round-robin'),
    quotaBytes: numOpt(name, o, 'quotaBytes', DEFAULT_QUOTA_BYTES, 0),
    quotaMinMs: numOpt(name, o, 'quotaMinMs', DEFAULT_QUOTA_MIN_MS, 0),
  };
}

const FIXED = 'choker:fixed';
export const fixedSlotsChoker: ChokerPlugin & SlotBound = {
  name: FIXED,
  description: 'libtorrent fixed slots: N slots (optimistic ones included, longest-waiting rotation), seed modes incl. round-robin.',
  options: [{ name: 'slots', type: 'number', default: 8, describe: 'Unchoke slots, optimistic included (unchoke_slots_limit)' }, ...commonOptions],
  maxUnchoked: (o) => numOpt(FIXED, o, 'slots', 8, 0),
  create: (o) => libtorrentChoker({ rateBased: false, slots: numOpt(FIXED, o, 'slots', 8, 0), ...parseCommon(FIXED, o) }),
};

const RATE = 'choker:rate-based';
export const rateBasedChoker: ChokerPlugin & SlotBound = {
  name: RATE,
  description: 'libtorrent rate-based: add slots while each unchoked peer gets ≥ 1 KiB/s + 2 KiB/s per slot (uplink not saturated).',
  options: [
    { name: 'initialThreshold', type: 'number', default: 1024, describe: 'Upload rate (B/s) the first peer must get to count as a slot' },
    { name: 'thresholdStep', type: 'number', default: 2048, describe: 'Threshold growth per extra slot (B/s)' },
    { name: 'maxSlots', type: 'number', default: 50, describe: 'Slots at most' },
    ...commonOptions,
  ],
  maxUnchoked: (o) => numOpt(RATE, o, 'maxSlots', 50, 1),
  create: (o) => libtorrentChoker({
    rateBased: true,
    initialThreshold: numOpt(RATE, o, 'initialThreshold', 1024, 0),
    thresholdStep: numOpt(RATE, o, 'thresholdStep', 2048, 0),
    maxSlots: numOpt(RATE, o, 'maxSlots', 50, 1),
    ...parseCommon(RATE, o),
  }),
};
