import type { ChokerPlugin } from '../../core/plugin-api/choker.js';
import type { PiecePickerPlugin } from '../../core/plugin-api/picker.js';
import { isModuleSpec, resolveChoker, resolvePicker } from '../../plugins/registry.js';
import type { ScenarioPlugins } from '../../sim/scenario/plugins.js';
import { splitSpec } from './matrix.js';

export interface PreparedPlugins {
  /** The strategy names the matrix uses: built-in names as given, module specs by their plugin's name. */
  pickers: string[];
  chokers: string[];
  /** Every plugin by that name, for runScenario's `plugins` option (nothing global is changed). */
  plugins: ScenarioPlugins;
}

/**
 * Resolve every named picker/choker before any run starts: a built-in name is checked (an
 * unknown one fails here), a module spec is loaded. Module plugins are named after their own
 * plugin name in the matrix, so reports say `my-picker` rather than a path. Workers call this
 * again with the same specs (each thread has its own module instances) and pass the result to
 * runScenario.
 */
export async function preparePlugins(pickers: readonly string[], chokers: readonly string[]): Promise<PreparedPlugins> {
  const p = await prepareKind(pickers, 'picker', resolvePicker);
  const c = await prepareKind(chokers, 'choker', resolveChoker);
  return { pickers: p.names, chokers: c.names, plugins: { pickers: p.byName, chokers: c.byName } };
}

/** One kind of preparePlugins. */
async function prepareKind<P extends PiecePickerPlugin | ChokerPlugin>(specs: readonly string[], kind: 'picker' | 'choker',
  resolve: (spec: string) => Promise<P>): Promise<{ names: string[]; byName: Map<string, P> }> {
  // Per-strategy options (`name?k=v`) ride along untouched; only the name part is resolved.
  const query = (spec: string) => (spec.includes('?') ? spec.slice(spec.indexOf('?')) : '');
  const names: string[] = [];
  const byName = new Map<string, P>();
  for (const spec of specs) {
    const { name } = splitSpec(spec);
    const plugin = await resolve(name);
    const as = isModuleSpec(name) ? plugin.name.replace(`${kind}:`, '') : name;
    byName.set(as, plugin);
    names.push(as + query(spec));
  }
  return { names, byName };
}

/** The module specs among the names (what a worker must load before running). */
export const moduleSpecs = (names: readonly string[]) => names.map((n) => splitSpec(n).name).filter(isModuleSpec);
