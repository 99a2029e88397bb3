import { builtinChoker, builtinChokers, builtinPicker, builtinPickers, resolveChoker, resolvePicker } from '../../plugins/registry.js';
import { splitSpec } from './matrix.js';

/** A plugin given as a module path / package rather than a built-in name. */
const isModuleSpec = (s: string) => /^(\.|\/|@)/.test(s) || s.endsWith('.js') || s.endsWith('.mjs');

/**
 * Make every named picker/choker usable by the simulator, which looks plugins up
 * synchronously among the built-ins (sim/scenario/run.ts → builtinPicker). Built-in names are
 * checked (an unknown name fails here, before any run starts); module specs are loaded and
 * added to this thread's built-in list under their own plugin name, which is what the
 * scenario then carries. Workers call this again with the same specs: each thread has its own
 * module instances.
 */
export async function preparePlugins(pickers: readonly string[], chokers: readonly string[]): Promise<{ pickers: string[]; chokers: string[] }> {
  const outP: string[] = [], outC: string[] = [];
  // Per-strategy options (`name?k=v`) ride along untouched; only the name part is resolved.
  const query = (spec: string) => (spec.includes('?') ? spec.slice(spec.indexOf('?')) : '');
  for (const spec of pickers) {
    const { name } = splitSpec(spec);
    if (!isModuleSpec(name)) { builtinPicker(name); outP.push(spec); continue; }
    const p = await resolvePicker(name);
    if (!builtinPickers.some((b) => b.name === p.name)) builtinPickers.push(p);
    outP.push(p.name.replace(/^picker:/, '') + query(spec));
  }
  for (const spec of chokers) {
    const { name } = splitSpec(spec);
    if (!isModuleSpec(name)) { builtinChoker(name); outC.push(spec); continue; }
    const c = await resolveChoker(name);
    if (!builtinChokers.some((b) => b.name === c.name)) builtinChokers.push(c);
    outC.push(c.name.replace(/^choker:/, '') + query(spec));
  }
  return { pickers: outP, chokers: outC };
}

/** The module specs among the names (what a worker must load before running). */
export const moduleSpecs = (names: readonly string[]) => names.map((n) => splitSpec(n).name).filter(isModuleSpec);
