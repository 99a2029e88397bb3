import { builtinChoker, builtinChokers, builtinPicker, builtinPickers, isModuleSpec, resolveChoker, resolvePicker } from '../../plugins/registry.js';
import { splitSpec } from './matrix.js';

/**
 * Make every named picker/choker usable by the simulator, which looks plugins up
 * synchronously among the built-ins (sim/scenario/run.ts → builtinPicker). Built-in names are
 * checked (an unknown name fails here, before any run starts); module specs are loaded and
 * added to this thread's built-in list under their own plugin name, which is what the
 * scenario then carries. Workers call this again with the same specs: each thread has its own
 * module instances.
 */
export async function preparePlugins(pickers: readonly string[], chokers: readonly string[]): Promise<{ pickers: string[]; chokers: string[] }> {
  return {
    pickers: await prepareKind(pickers, 'picker', builtinPicker, resolvePicker, builtinPickers),
    chokers: await prepareKind(chokers, 'choker', builtinChoker, resolveChoker, builtinChokers),
  };
}

/** One kind of preparePlugins: check built-in names, load module specs into `builtins`, rename them. */
async function prepareKind<P extends { name: string }>(specs: readonly string[], kind: 'picker' | 'choker',
  builtin: (name: string) => P, resolve: (spec: string) => Promise<P>, builtins: P[]): Promise<string[]> {
  // Per-strategy options (`name?k=v`) ride along untouched; only the name part is resolved.
  const query = (spec: string) => (spec.includes('?') ? spec.slice(spec.indexOf('?')) : '');
  const out: string[] = [];
  for (const spec of specs) {
    const { name } = splitSpec(spec);
    if (!isModuleSpec(name)) { builtin(name); out.push(spec); continue; }
    const p = await resolve(name);
    if (!builtins.some((b) => b.name === p.name)) builtins.push(p);
    out.push(p.name.replace(`${kind}:`, '') + query(spec));
  }
  return out;
}

/** The module specs among the names (what a worker must load before running). */
export const moduleSpecs = (names: readonly string[]) => names.map((n) => splitSpec(n).name).filter(isModuleSpec);
