import { BtLabError } from '../../core/util/errors.js';
import { parsePluginOptions } from '../../plugins/registry.js';
import { readScenarioFile } from './io.js';
import type { Scenario, StrategyMix } from './types.js';

/** The scenario flags `bt-lab sim` and `bt-lab compare` share (same names, same syntax). */
export const scenarioFlagOptions = {
  scenario: { type: 'string', describe: 'Scenario file (JSON); flags override it' },
  peers: { type: 'number', describe: 'Leechers [200]' },
  seeds: { type: 'number', describe: 'Initial seeds [1]' },
  'picker-opt': { type: 'string', array: true, describe: 'Picker option key=value' },
  'choker-opt': { type: 'string', array: true, describe: 'Choker option key=value' },
  'file-mib': { type: 'number', describe: 'File size in MiB [32]' },
  'piece-kib': { type: 'number', describe: 'Piece length in KiB [256]' },
  arrivals: { type: 'string', describe: 'flash | poisson:PEERS_PER_SEC [flash]' },
  leave: { type: 'string', describe: 'leave | stay | seed:SECONDS after completing [leave]' },
  'free-riders': { type: 'number', describe: 'Share of leechers that never upload [0]' },
  'bad-peers': { type: 'number', describe: 'Share of leechers that upload corrupt data [0]' },
  'max-seconds': { type: 'number', describe: 'Simulated time limit [3600]' },
  mix: { type: 'string', array: true, describe: 'Strategy mix inside the swarm, FRACTION:PICKER/CHOKER (e.g. 0.1:/bittyrant)' },
} as const;


export interface ScenarioFlags {
  scenario?: string;
  peers?: number;
  seeds?: number;
  'picker-opt'?: string[];
  'choker-opt'?: string[];
  'file-mib'?: number;
  'piece-kib'?: number;
  arrivals?: string;
  leave?: string;
  'free-riders'?: number;
  'bad-peers'?: number;
  'max-seconds'?: number;
  mix?: string[];
}

const usage = (msg: string): never => { throw new BtLabError('EUSAGE', msg); };

/** `0.1:rarest/bittyrant` (or `0.1:/bittyrant`, `0.1:random/`) → a StrategyMix entry. */
export function parseMix(text: string): StrategyMix {
  const m = /^(\d*\.?\d+):([^/]*)\/([^/]*)$/.exec(text.trim());
  if (!m) return usage(`--mix must be FRACTION:PICKER/CHOKER (either side may be empty), got "${text}"`);
  const fraction = Number(m[1]);
  if (!(fraction > 0 && fraction <= 1)) usage(`--mix fraction must be in (0, 1], got ${m[1]}`);
  const out: StrategyMix = { fraction };
  if (m[2]) out.picker = m[2];
  if (m[3]) out.choker = m[3];
  return out;
}

/** Flags over the scenario file over the defaults (makeScenario fills and checks the rest). */
export function scenarioFromFlags(a: ScenarioFlags): Partial<Scenario> {
  const s: Partial<Scenario> = a.scenario ? readScenarioFile(a.scenario) : {};
  if (a.peers !== undefined) s.peers = a.peers;
  if (a.seeds !== undefined) s.seeds = a.seeds;
  if (a['picker-opt']) s.pickerOptions = parsePluginOptions(a['picker-opt']);
  if (a['choker-opt']) s.chokerOptions = parsePluginOptions(a['choker-opt']);
  if (a['file-mib'] !== undefined) s.fileBytes = Math.round(a['file-mib'] * 2 ** 20);
  if (a['piece-kib'] !== undefined) s.pieceLength = Math.round(a['piece-kib'] * 1024);
  if (a.arrivals !== undefined) {
    const m = /^poisson:(\d+(?:\.\d+)?)$/.exec(a.arrivals);
    s.arrivals = a.arrivals === 'flash' ? { kind: 'flash' } : m ? { kind: 'poisson', ratePerSec: Number(m[1]) } : usage(`--arrivals must be flash or poisson:RATE, got ${a.arrivals}`);
  }
  if (a.leave !== undefined) {
    const m = /^seed:(\d+(?:\.\d+)?)$/.exec(a.leave);
    s.departure = a.leave === 'leave' ? { kind: 'leave' } : a.leave === 'stay' ? { kind: 'stay' } : m ? { kind: 'seed', seconds: Number(m[1]) } : usage(`--leave must be leave, stay or seed:SECONDS, got ${a.leave}`);
  }
  if (a['free-riders'] !== undefined) s.freeRiders = a['free-riders'];
  if (a['bad-peers'] !== undefined) s.badPeers = a['bad-peers'];
  if (a['max-seconds'] !== undefined) s.maxSeconds = a['max-seconds'];
  if (a.mix?.length) s.mix = a.mix.map(parseMix);
  return s;
}
