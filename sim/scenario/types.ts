import { BtLabError } from '../../core/util/errors.js';

/** A bandwidth class: a share of the peers with the same access link. */
export interface BandwidthClass {
  name: string;
  /** Share of the leechers in this class (normalised over all classes). */
  fraction: number;
  upBps: number;
  downBps: number;
  /** One-way access latency, ms. */
  latencyMs?: number;
}

/** A group of leechers running other strategies (e.g. 10 % BitTyrant among reference clients). */
export interface StrategyMix {
  fraction: number;
  picker?: string;
  choker?: string;
  label?: string;
}

export type Arrivals =
  | { kind: 'flash' }
  /** Poisson arrivals at `ratePerSec` leechers per simulated second. */
  | { kind: 'poisson'; ratePerSec: number };

export type Departure =
  | { kind: 'leave' }
  /** Seed for `seconds` after completing, then leave. */
  | { kind: 'seed'; seconds: number }
  | { kind: 'stay' };

/**
 * Everything one simulated swarm run depends on. With the same Scenario (seed included), the
 * run and its result files are byte-identical.
 */
export interface Scenario {
  seed: number;
  /** Leechers. */
  peers: number;
  /** Initial seeds (present at t = 0, never leave). */
  seeds: number;
  fileBytes: number;
  pieceLength: number;
  picker: string;
  choker: string;
  pickerOptions: Record<string, number | string | boolean>;
  chokerOptions: Record<string, number | string | boolean>;
  classes: BandwidthClass[];
  seedUpBps: number;
  arrivals: Arrivals;
  departure: Departure;
  /** Share of leechers that never upload (choke everyone). */
  freeRiders: number;
  /** Share of leechers whose uploads are corrupt (banned by hash checks). */
  badPeers: number;
  mix: StrategyMix[];
  /** Churn: each leecher, while downloading, leaves and comes back after `downSec`, at `ratePerHour` per peer. */
  churn?: { ratePerHour: number; downSec: number };
  /** Stop the run at this simulated time (seconds) even if peers are unfinished. */
  maxSeconds: number;
  /** Peers the tracker returns per announce, and connected peers per node. */
  numwant: number;
  maxPeers: number;
  /**
   * Addresses each node's peer pool keeps at most (EngineConfig.maxKnownPeers; unset: the
   * engine's default, 3000 as libtorrent's max_peerlist_size). A memory knob for swarms of
   * thousands: every node learns nearly every address through PEX.
   */
  maxKnownPeers?: number;
  /** Tracker re-announce interval, seconds. */
  trackerIntervalSec: number;
  /** Swarm samples (progress, availability) every this many simulated seconds. */
  sampleEverySec: number;
}

const MBIT = 125_000;

/**
 * Default access links: a residential mix in the spirit of Bharambe et al. (INFOCOM 2006) and
 * Piatek et al. (NSDI 2007) — many slow uplinks, fewer fast ones — scaled to today's lines.
 */
export const DEFAULT_CLASSES: BandwidthClass[] = [
  { name: 'slow', fraction: 0.3, upBps: 1 * MBIT, downBps: 16 * MBIT, latencyMs: 20 },
  { name: 'medium', fraction: 0.5, upBps: 10 * MBIT, downBps: 50 * MBIT, latencyMs: 10 },
  { name: 'fast', fraction: 0.2, upBps: 100 * MBIT, downBps: 100 * MBIT, latencyMs: 5 },
];

export const defaultScenario: Scenario = {
  seed: 1,
  peers: 200,
  seeds: 1,
  fileBytes: 32 * 1024 * 1024,
  pieceLength: 256 * 1024,
  picker: 'rarest',
  choker: 'reference',
  pickerOptions: {},
  chokerOptions: {},
  classes: DEFAULT_CLASSES,
  seedUpBps: 100 * MBIT,
  arrivals: { kind: 'flash' },
  departure: { kind: 'leave' },
  freeRiders: 0,
  badPeers: 0,
  mix: [],
  maxSeconds: 3600,
  numwant: 50,
  maxPeers: 50,
  trackerIntervalSec: 300,
  sampleEverySec: 5,
};

/** Merge a partial scenario (file or flags) over the defaults, and check it. */
export function makeScenario(partial: Partial<Scenario>): Scenario {
  const s: Scenario = { ...defaultScenario, ...partial };
  const bad = (why: string): never => { throw new BtLabError('ESCENARIO', `scenario: ${why}`); };
  const posInt = (v: number, name: string, min = 0) => { if (!Number.isInteger(v) || v < min) bad(`${name} must be an integer ≥ ${min} (got ${v})`); };
  posInt(s.peers, 'peers', 1);
  posInt(s.seeds, 'seeds', 1);
  posInt(s.fileBytes, 'fileBytes', 1);
  posInt(s.pieceLength, 'pieceLength', 16384);
  posInt(s.seed, 'seed');
  if (s.pieceLength % 16384 !== 0) bad('pieceLength must be a multiple of 16 KiB');
  if (!s.classes.length || s.classes.some((c) => !(c.fraction >= 0) || !(c.upBps > 0) || !(c.downBps > 0))) bad('classes need fraction ≥ 0 and positive upBps/downBps');
  if (!(s.freeRiders >= 0 && s.freeRiders <= 1) || !(s.badPeers >= 0 && s.badPeers <= 1)) bad('freeRiders and badPeers are fractions in [0, 1]');
  if (s.mix.reduce((a, m) => a + m.fraction, 0) > 1) bad('mix fractions add up to more than 1');
  if (!(s.maxSeconds > 0)) bad('maxSeconds must be positive');
  if (s.maxKnownPeers !== undefined) posInt(s.maxKnownPeers, 'maxKnownPeers', 1);
  if (s.arrivals.kind === 'poisson' && !(s.arrivals.ratePerSec > 0)) bad('poisson arrivals need ratePerSec > 0');
  return s;
}
