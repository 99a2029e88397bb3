/**
 * Every case, grouped by suite (the kind of target it runs against). One module per BEP
 * section under cases/; this file only lists them.
 */
import { bencodeCases } from './cases/bep3-bencode.js';
import { metainfoCases } from './cases/bep3-metainfo.js';
import { httpTrackerCases } from './cases/bep3-tracker.js';
import { compactPeerCases } from './cases/bep23.js';
import { udpTrackerCases } from './cases/bep15.js';
import { wireCases } from './cases/bep3-wire.js';
import { extensionCases } from './cases/bep10.js';
import { metadataCases } from './cases/bep9.js';
import { fastCases } from './cases/bep6.js';
import { dhtCases } from './cases/bep5.js';
import { makeSelector } from './glob.js';
import type { ConformanceCase, SuiteName } from './types.js';
import type { BencodeTarget, DhtTarget, HttpTrackerTarget, MetainfoTarget, PeerTarget, UdpTrackerTarget } from './targets/types.js';

export interface SuiteTargets {
  bencode: BencodeTarget;
  metainfo: MetainfoTarget;
  'tracker-udp': UdpTrackerTarget;
  'tracker-http': HttpTrackerTarget;
  peer: PeerTarget;
  dht: DhtTarget;
}

export const SUITES: { [S in SuiteName]: readonly ConformanceCase<SuiteTargets[S]>[] } = {
  bencode: bencodeCases,
  metainfo: metainfoCases,
  'tracker-udp': udpTrackerCases,
  'tracker-http': [...httpTrackerCases, ...compactPeerCases],
  peer: ordered([...wireCases, ...extensionCases, ...metadataCases, ...fastCases]),
  dht: dhtCases,
};

/** Stable sort by `order` (default 50). */
function ordered<T extends { order?: number }>(cases: T[]): T[] {
  return cases.map((c, i) => ({ c, i })).sort((a, b) => (a.c.order ?? 50) - (b.c.order ?? 50) || a.i - b.i).map((x) => x.c);
}

export const SUITE_NAMES = Object.keys(SUITES) as SuiteName[];

/** The cases of `suite` matching the --cases globs (all when none). */
export function selectCases<S extends SuiteName>(suite: S, globs?: string): ConformanceCase<SuiteTargets[S]>[] {
  const sel = makeSelector(globs);
  return SUITES[suite].filter(sel) as ConformanceCase<SuiteTargets[S]>[];
}

/** Every case of every suite (for --list and the duplicate-id test). */
export function allCases(): ConformanceCase<unknown>[] {
  return SUITE_NAMES.flatMap((s) => SUITES[s] as readonly ConformanceCase<unknown>[]);
}
