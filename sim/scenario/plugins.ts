import type { ChokerPlugin } from '../../core/plugin-api/choker.js';
import type { PiecePickerPlugin } from '../../core/plugin-api/picker.js';
import { resolveChoker, resolvePicker } from '../../plugins/registry.js';
import type { Scenario } from './types.js';

/** The plugins a scenario names — built-in names, module paths or packages (`--picker ./my-picker.js`) — keyed by the name as written. */
export interface ScenarioPlugins {
  pickers: ReadonlyMap<string, PiecePickerPlugin>;
  chokers: ReadonlyMap<string, ChokerPlugin>;
}

/** Every picker and choker name a scenario uses: the main strategy and each mix group's. */
export function strategyNames(s: Scenario): { pickers: string[]; chokers: string[] } {
  const pickers = new Set([s.picker]), chokers = new Set([s.choker]);
  for (const m of s.mix) {
    if (m.picker) pickers.add(m.picker);
    if (m.choker) chokers.add(m.choker);
  }
  return { pickers: [...pickers], chokers: [...chokers] };
}

/**
 * Load the third-party plugins a scenario names, before the run: the simulator itself is
 * synchronous and deterministic, so module loading (async, and the only place a typo in a path
 * can surface) happens here. Built-in names are checked too, so an unknown one fails before
 * any simulated time passes. The scenario keeps the names as given: result files say what the
 * user asked for.
 */
export async function loadScenarioPlugins(s: Scenario): Promise<ScenarioPlugins> {
  const { pickers, chokers } = strategyNames(s);
  const p = new Map<string, PiecePickerPlugin>(), c = new Map<string, ChokerPlugin>();
  for (const name of pickers) p.set(name, await resolvePicker(name));
  for (const name of chokers) c.set(name, await resolveChoker(name));
  return { pickers: p, chokers: c };
}
