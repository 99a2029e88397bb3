import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BtLabError } from '../core/util/errors.js';
import type { SimResult } from '../sim/scenario/run.js';
import type { CompareData } from './compare/aggregate.js';
import { compareCharts } from './charts/compare-charts.js';
import { comparePage } from './compare-page.js';
import { simReport } from './sim-report.js';
import { downloadReport } from './download-report.js';
import { conformanceReport } from './conformance-report.js';
import { parseDownloadLog, type DownloadLog } from './load/download-log.js';
import { looksLikeConformance, parseConformance, type ConformanceRun } from './load/conformance.js';
import { writeReport, type WrittenReport } from './write-report.js';
import type { ChartSpec } from './charts/spec.js';
import type { Page } from './html/page.js';

export type ReportInput =
  | { kind: 'compare'; file: string; data: CompareData }
  | { kind: 'sim'; file: string; result: SimResult }
  | { kind: 'download'; file: string; log: DownloadLog }
  | { kind: 'conformance'; file: string; run: ConformanceRun };

const readJson = (file: string): unknown => {
  try { return JSON.parse(readFileSync(file, 'utf8')); } catch (e) { throw new BtLabError('EREPORT', `cannot read ${file}: ${(e as Error).message}`, { file }); }
};

const isCompare = (o: unknown): o is CompareData => typeof o === 'object' && o !== null && (o as CompareData).kind === 'bt-lab/compare' && Array.isArray((o as CompareData).strategies);
const isSim = (o: unknown): o is SimResult => typeof o === 'object' && o !== null && Array.isArray((o as SimResult).nodes) && Array.isArray((o as SimResult).samples) && typeof (o as SimResult).scenario === 'object';

/** What a single file holds, judged by its content (not its name). */
export function classifyFile(file: string): ReportInput | null {
  const text = readFileSync(file, 'utf8');
  let obj: unknown;
  try { obj = JSON.parse(text); } catch { obj = undefined; }
  if (obj !== undefined) {
    if (isCompare(obj)) return { kind: 'compare', file, data: obj };
    if (isSim(obj)) return { kind: 'sim', file, result: obj };
    if (looksLikeConformance(obj)) return { kind: 'conformance', file, run: parseConformance(obj) };
    // A one-line download log is also valid JSON; fall through to the line parser.
  }
  try { return { kind: 'download', file, log: parseDownloadLog(text) }; } catch { return null; }
}

/**
 * Find the saved results in `path` (a file, or a folder): compare.json (bt-lab compare),
 * result.json (bt-lab sim -o), a conformance JSON, or a download log (*.jsonl / *.log /
 * *.ndjson / *.json holding `bt-lab download --json` lines). In a folder the first match in
 * that order wins; the others are ignored (say so with --input FILE).
 */
export function findInput(path: string): ReportInput {
  let st;
  try { st = statSync(path); } catch { throw new BtLabError('ENOENT', `no such file or folder: ${path}`, { path }); }
  if (st.isFile()) {
    const r = classifyFile(path);
    if (!r) throw new BtLabError('EREPORT', `${path} is not a bt-lab result (compare.json, result.json, conformance JSON or a download --json log)`, { path });
    return r;
  }
  for (const name of ['compare.json', 'result.json']) {
    const f = join(path, name);
    try { if (statSync(f).isFile()) { const r = classifyFile(f); if (r) return r; } } catch { /* absent */ }
  }
  const others = readdirSync(path).filter((n) => /\.(json|jsonl|ndjson|log)$/.test(n)).sort();
  const found = others.map((n) => join(path, n)).filter((f) => statSync(f).isFile()).map(classifyFile).filter((x): x is ReportInput => x !== null);
  const pick = found.find((x) => x.kind === 'conformance') ?? found.find((x) => x.kind === 'download');
  if (!pick) throw new BtLabError('EREPORT', `no bt-lab results in ${path} (looked for compare.json, result.json, a conformance JSON, a download --json log)`, { path });
  return pick;
}

/** Page and charts for any input kind. */
export function buildReport(input: ReportInput): { page: Page; charts: ChartSpec[] } {
  const src = basename(input.file);
  switch (input.kind) {
    case 'compare': return { page: comparePage(input.data, { files: [src, 'charts/*.json (data behind each chart)'] }), charts: compareCharts(input.data) };
    case 'sim': return simReport(input.result, src);
    case 'download': return downloadReport(input.log, src);
    case 'conformance': return conformanceReport(input.run, src);
  }
}

/** `bt-lab report <path>`: render index.html + charts into `outDir` (default: next to the input). */
export function renderReport(path: string, outDir?: string): { input: ReportInput; report: WrittenReport } {
  const input = findInput(path);
  const { page, charts } = buildReport(input);
  const out = outDir ?? (statSync(path).isDirectory() ? path : dirname(path));
  return { input, report: writeReport(out, page, charts) };
}
