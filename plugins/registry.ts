import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChokerPlugin, PiecePickerPlugin, PeerSourcePlugin, PluginMeta } from '../core/plugin-api/index.js';
import { BtLabError } from '../core/util/errors.js';
import { rarestFirst } from './pickers/rarest-first.js';
import { referenceChokerPlugin } from './chokers/reference.js';
import { freeRiderChoker } from './chokers/free-rider.js';
import { dhtSource } from './sources/dht.js';
import { staticListSource } from './sources/static-list.js';
import { httpTrackerSource } from './sources/http-tracker.js';
import { udpTrackerSource } from './sources/udp-tracker.js';

/**
 * Every built-in plugin by kind, and loading of third-party ones by path or package name.
 * Short names work on the command line: `--picker rarest` = 'picker:rarest'.
 */
export const builtinPickers: PiecePickerPlugin[] = [rarestFirst];
export const builtinChokers: ChokerPlugin[] = [referenceChokerPlugin, freeRiderChoker];
export const builtinSources: PeerSourcePlugin[] = [httpTrackerSource, udpTrackerSource, dhtSource, staticListSource];

type Kind = 'picker' | 'choker' | 'source';

function findBuiltin<T extends PluginMeta>(list: T[], kind: Kind, name: string): T | undefined {
  const full = name.includes(':') ? name : `${kind}:${name}`;
  return list.find((p) => p.name === full);
}

/** A module specifier rather than a name: a path, or a package (scoped or with a slash). */
const looksLikeModule = (s: string) => /^(\.|\/|@)/.test(s) || s.endsWith('.js') || s.endsWith('.mjs');

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

export async function resolvePicker(spec: string): Promise<PiecePickerPlugin> {
  return findBuiltin(builtinPickers, 'picker', spec) ?? (looksLikeModule(spec) ? loadModule(spec, 'picker', isPicker) : unknown('picker', spec, builtinPickers));
}
export async function resolveChoker(spec: string): Promise<ChokerPlugin> {
  return findBuiltin(builtinChokers, 'choker', spec) ?? (looksLikeModule(spec) ? loadModule(spec, 'choker', isChoker) : unknown('choker', spec, builtinChokers));
}
export async function resolveSource(spec: string): Promise<PeerSourcePlugin> {
  return findBuiltin(builtinSources, 'source', spec) ?? (looksLikeModule(spec) ? loadModule(spec, 'source', isSource) : unknown('source', spec, builtinSources));
}

/** Synchronous lookup of built-ins (the simulator resolves names without module loading). */
export function builtinPicker(name: string): PiecePickerPlugin {
  return findBuiltin(builtinPickers, 'picker', name) ?? unknown('picker', name, builtinPickers);
}
export function builtinChoker(name: string): ChokerPlugin {
  return findBuiltin(builtinChokers, 'choker', name) ?? unknown('choker', name, builtinChokers);
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
