import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChokerPlugin, PiecePickerPlugin, PeerSourcePlugin, PluginMeta } from '../core/plugin-api/index.js';
import { BtLabError } from '../core/util/errors.js';
import { rarestFirst } from './pickers/rarest-first.js';
import { randomPickerPlugin } from './pickers/random.js';
import { sequentialPickerPlugin } from './pickers/sequential.js';
import { randomFirstPickerPlugin } from './pickers/random-first.js';
import { looseEndgamePickerPlugin, strictEndgamePickerPlugin } from './pickers/endgame.js';
import { streamingPickerPlugin } from './pickers/streaming.js';
import { referenceChokerPlugin } from './chokers/reference.js';
import { freeRiderChoker } from './chokers/free-rider.js';
import { fixedSlotsChoker, rateBasedChoker } from './chokers/libtorrent.js';
import { bitTyrantChokerPlugin } from './chokers/bittyrant.js';
import { propShareChokerPlugin } from './chokers/propshare.js';
import { dhtSource } from './sources/dht.js';
import { staticListSource } from './sources/static-list.js';
import { httpTrackerSource } from './sources/http-tracker.js';
import { udpTrackerSource } from './sources/udp-tracker.js';

/**
 * Every built-in plugin by kind, and loading of third-party ones by path or package name.
 * Short names work on the command line: `--picker rarest` = 'picker:rarest'.
 */
export const builtinPickers: PiecePickerPlugin[] = [
  rarestFirst, randomPickerPlugin, sequentialPickerPlugin, randomFirstPickerPlugin,
  strictEndgamePickerPlugin, looseEndgamePickerPlugin, streamingPickerPlugin,
];
export const builtinChokers: ChokerPlugin[] = [
  referenceChokerPlugin, freeRiderChoker, fixedSlotsChoker, rateBasedChoker, bitTyrantChokerPlugin, propShareChokerPlugin,
];
export const builtinSources: PeerSourcePlugin[] = [httpTrackerSource, udpTrackerSource, dhtSource, staticListSource];

type Kind = 'picker' | 'choker' | 'source';

function findBuiltin<T extends PluginMeta>(list: T[], kind: Kind, name: string): T | undefined {
  const full = name.includes(':') ? name : `${kind}:${name}`;
  return list.find((p) => p.name === full);
}

/** A module specifier rather than a name: a path, or a package (scoped or with a slash). */
export const isModuleSpec = (s: string): boolean => /^(\.|\/|@)/.test(s) || s.endsWith('.js') || s.endsWith('.mjs');

async function loadModule<T extends PluginMeta>(spec: string, kind: Kind, check: (x: unknown) => x is T): Promise<T> {
  const target = spec.startsWith('.') || spec.startsWith('/') ? pathToFileURL(resolve(spec)).href : spec;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (err) {
    throw new BtLabError('EPLUGIN', `cannot load ${kind} plugin "${spec}": ${(err as Error).message}`, { spec });
  }
  const candidates = [mod.default, ...Object.values(mod)];
  const found = candidates.find(check);
  if (!found) throw new BtLabError('EPLUGIN', `"${spec}" exports no ${kind} plugin (an object with name, description and create())`, { spec });
  return found;
}

const isMeta = (x: unknown): x is PluginMeta & { create: unknown } =>
  typeof x === 'object' && x !== null && typeof (x as PluginMeta).name === 'string' && typeof (x as { create?: unknown }).create === 'function';
const isPicker = (x: unknown): x is PiecePickerPlugin => isMeta(x) && x.name.startsWith('picker:');
const isChoker = (x: unknown): x is ChokerPlugin => isMeta(x) && x.name.startsWith('choker:');
const isSource = (x: unknown): x is PeerSourcePlugin => isMeta(x) && x.name.startsWith('source:');

function unknown(kind: Kind, name: string, list: PluginMeta[]): never {
  throw new BtLabError('EPLUGIN', `unknown ${kind} "${name}" (available: ${list.map((p) => p.name.split(':')[1]).join(', ')}; or give a module path)`, { name });
}

/**
 * A name that is not a built-in is tried as a module: a path, or a package name (`--choker
 * some-package`). A bare name that fails to import is reported as an unknown plugin, with the
 * list of built-ins, since that is the likelier typo.
 */
async function resolveAny<T extends PluginMeta>(spec: string, kind: Kind, list: T[], check: (x: unknown) => x is T): Promise<T> {
  const found = findBuiltin(list, kind, spec);
  if (found) return found;
  if (isModuleSpec(spec)) return loadModule(spec, kind, check);
  try {
    return await loadModule(spec, kind, check);
  } catch (err) {
    if (/cannot load/.test((err as Error).message)) unknown(kind, spec, list);
    throw err;
  }
}

export async function resolvePicker(spec: string): Promise<PiecePickerPlugin> {
  return resolveAny(spec, 'picker', builtinPickers, isPicker);
}
export async function resolveChoker(spec: string): Promise<ChokerPlugin> {
  return resolveAny(spec, 'choker', builtinChokers, isChoker);
}
export async function resolveSource(spec: string): Promise<PeerSourcePlugin> {
  return resolveAny(spec, 'source', builtinSources, isSource);
}

export interface LoadedPlugins {
  pickers: PiecePickerPlugin[];
  chokers: ChokerPlugin[];
  sources: PeerSourcePlugin[];
}

/** Every plugin a module exports, by kind (`bt-lab plugins check <module>`). */
export async function loadPluginModule(spec: string): Promise<LoadedPlugins> {
  const target = spec.startsWith('.') || spec.startsWith('/') ? pathToFileURL(resolve(spec)).href : spec;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(target)) as Record<string, unknown>;
  } catch (err) {
    throw new BtLabError('EPLUGIN', `cannot load plugin module "${spec}": ${(err as Error).message}`, { spec });
  }
  const all = [...new Set([mod.default, ...Object.values(mod)])];
  const out: LoadedPlugins = { pickers: all.filter(isPicker), chokers: all.filter(isChoker), sources: all.filter(isSource) };
  if (out.pickers.length + out.chokers.length + out.sources.length === 0) {
    throw new BtLabError('EPLUGIN', `"${spec}" exports no plugin (an object with a name like "picker:x", a description and create())`, { spec });
  }
  return out;
}

/** Synchronous lookup of built-ins (the simulator resolves names without module loading). */
export function builtinPicker(name: string): PiecePickerPlugin {
  return findBuiltin(builtinPickers, 'picker', name) ?? unknown('picker', name, builtinPickers);
}
export function builtinChoker(name: string): ChokerPlugin {
  return findBuiltin(builtinChokers, 'choker', name) ?? unknown('choker', name, builtinChokers);
}
export function builtinSource(name: string): PeerSourcePlugin {
  return findBuiltin(builtinSources, 'source', name) ?? unknown('source', name, builtinSources);
}

/** Parse `--picker-opt key=value` pairs into typed options. */
export function parsePluginOptions(pairs: readonly string[] = []): Record<string, number | string | boolean> {
  const out: Record<string, number | string | boolean> = {};
  for (const pair of pairs) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new BtLabError('EPLUGIN', `plugin option must be key=value, got "${pair}"`);
    const k = pair.slice(0, i), v = pair.slice(i + 1);
    out[k] = v === 'true' ? true : v === 'false' ? false : v !== '' && !Number.isNaN(Number(v)) ? Number(v) : v;
  }
  return out;
}
