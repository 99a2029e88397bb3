import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BtLabError } from '../../core/util/errors.js';
import type { Scenario } from './types.js';
import type { SimResult } from './run.js';

/** Read a scenario file (JSON). Unknown keys are refused so a typo is not silently ignored. */
export function readScenarioFile(path: string): Partial<Scenario> {
  let text: string;
  try { text = readFileSync(path, 'utf8'); } catch (e) { throw new BtLabError('ENOENT', `cannot read scenario ${path}: ${(e as Error).message}`); }
  let obj: unknown;
  try { obj = JSON.parse(text); } catch (e) { throw new BtLabError('ESCENARIO', `scenario ${path} is not valid JSON: ${(e as Error).message}`); }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new BtLabError('ESCENARIO', `scenario ${path} must be a JSON object`);
  const known = new Set(['seed', 'peers', 'seeds', 'fileBytes', 'pieceLength', 'picker', 'choker', 'pickerOptions', 'chokerOptions', 'classes', 'seedUpBps', 'arrivals', 'departure', 'freeRiders', 'badPeers', 'mix', 'churn', 'maxSeconds', 'numwant', 'maxPeers', 'maxKnownPeers', 'trackerIntervalSec', 'sampleEverySec', '$comment']);
  for (const k of Object.keys(obj)) if (!known.has(k)) throw new BtLabError('ESCENARIO', `scenario ${path}: unknown key "${k}"`);
  const { $comment: _c, ...rest } = obj as Record<string, unknown>;
  return rest as Partial<Scenario>;
}

/** Stable JSON: keys in insertion order (the result objects are built in a fixed order). */
export function resultJson(r: SimResult): string {
  return JSON.stringify(r, null, 1) + '\n';
}

/** Write result.json (and the caller has streamed trace.jsonl) into `dir`. */
export function writeResult(dir: string, r: SimResult): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'result.json');
  writeFileSync(path, resultJson(r));
  return path;
}
