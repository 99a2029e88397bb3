/**
 * Reading plugin options. Options arrive as `--picker-opt key=value` (already typed by
 * parsePluginOptions) or from a scenario file; a wrong type is a user error, reported as a
 * one-line BtLabError naming the plugin and the option rather than a NaN deep in a strategy.
 */
import type { PluginOptions } from '../core/plugin-api/common.js';
import { BtLabError } from '../core/util/errors.js';

export function numOpt(plugin: string, o: PluginOptions, name: string, def: number, min = -Infinity): number {
  const v = o[name];
  if (v === undefined) return def;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < min) throw new BtLabError('EPLUGIN', `${plugin}: option ${name} must be a number ≥ ${min}, got "${String(v)}"`, { plugin, option: name });
  return n;
}

export function boolOpt(plugin: string, o: PluginOptions, name: string, def: boolean): boolean {
  const v = o[name];
  if (v === undefined) return def;
  if (v === true || v === 'true' || v === 1) return true;
  if (v === false || v === 'false' || v === 0) return false;
  throw new BtLabError('EPLUGIN', `${plugin}: option ${name} must be true or false, got "${String(v)}"`, { plugin, option: name });
}

export function enumOpt<T extends string>(plugin: string, o: PluginOptions, name: string, values: readonly T[], def: T): T {
  const v = o[name];
  if (v === undefined) return def;
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
  throw new BtLabError('EPLUGIN', `${plugin}: option ${name} must be one of ${values.join(', ')}, got "${String(v)}"`, { plugin, option: name });
}
