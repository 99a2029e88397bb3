import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { toHtml } from './report/html.js';
import { toJUnit } from './report/junit.js';
import type { ConformanceRun } from './report/summary.js';

export interface OutputPaths {
  json?: string;
  junit?: string;
  html?: string;
  /** A folder: writes conformance.json, junit.xml and conformance.html there. */
  out?: string;
}

/** Write the requested report files; returns the paths written. */
export function writeReports(run: ConformanceRun, p: OutputPaths): string[] {
  const files: Array<[string | undefined, () => string]> = [
    [p.json ?? (p.out && join(p.out, 'conformance.json')), () => JSON.stringify(run, null, 2) + '\n'],
    [p.junit ?? (p.out && join(p.out, 'junit.xml')), () => toJUnit(run)],
    [p.html ?? (p.out && join(p.out, 'conformance.html')), () => toHtml(run)],
  ];
  const written: string[] = [];
  for (const [path, make] of files) {
    if (!path) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, make());
    written.push(path);
  }
  return written;
}
