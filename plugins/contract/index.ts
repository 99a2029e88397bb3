/**
 * Contract tests for plugins, usable on any plugin: the test suite runs them on every
 * registered built-in, and `bt-lab plugins check <module>` on a third-party module.
 */
import type { ChokerPlugin, PeerSourcePlugin, PiecePickerPlugin } from '../../core/plugin-api/index.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import type { SlotBound } from '../chokers/slot-bound.js';
import { checkPicker } from './picker-contract.js';
import { checkChoker } from './choker-contract.js';
import { checkSource } from './source-contract.js';
import type { ContractResult } from './result.js';

export { checkPicker, pickViolation, runDownload, downloadScenario, type DownloadScenario, type DownloadRun } from './picker-contract.js';
export { checkChoker, chokerRounds } from './choker-contract.js';
export { checkSource, runSource, addressProblem, CONTRACT_TRACKER, type SourceRun } from './source-contract.js';
export { ModelView, ModelPeer } from './model.js';
export type { ContractResult } from './result.js';

/**
 * Options some built-ins need to do anything under test (a static list needs peers; the DHT
 * needs a bootstrap contact that exists in the simulated world, or none at all).
 */
export const contractOptions: Record<string, PluginOptions> = {
  'source:static': { peers: '10.3.0.1:6881,[2001:db8::1]:6881' },
  'source:dht': { bootstrap: '10.254.0.1:6881' },
};

export interface CheckAllInput {
  pickers?: PiecePickerPlugin[];
  chokers?: Array<ChokerPlugin & SlotBound>;
  sources?: PeerSourcePlugin[];
}

export interface CheckAllOptions {
  /** Options per plugin name (merged over contractOptions). */
  options?: Record<string, PluginOptions>;
  numRuns?: number;
  seed?: number;
}

export function checkAll(input: CheckAllInput, o: CheckAllOptions = {}): ContractResult[] {
  const opts = (name: string) => ({ ...contractOptions[name], ...o.options?.[name] });
  const out: ContractResult[] = [];
  for (const p of input.pickers ?? []) out.push(...checkPicker(p, { options: opts(p.name), numRuns: o.numRuns, seed: o.seed }));
  for (const c of input.chokers ?? []) out.push(...checkChoker(c, { options: opts(c.name), numRuns: o.numRuns, seed: o.seed }));
  for (const s of input.sources ?? []) out.push(...checkSource(s, { options: opts(s.name), seed: o.seed }));
  return out;
}
