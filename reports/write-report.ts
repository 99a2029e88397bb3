import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChartSpec } from './charts/spec.js';
import { renderChart } from './charts/render.js';
import { renderPage, type Figure, type Page } from './html/page.js';

export interface WrittenReport { html: string; files: string[] }

/**
 * Write a report folder: charts/<id>.png (the picture), charts/<id>.json (the exact data the
 * chart plots, for anyone who wants to re-plot it), and index.html with the charts in a
 * section of their own appended to the page. Same inputs → same bytes.
 */
export function writeReport(outDir: string, page: Page, charts: readonly ChartSpec[], chartsHeading = 'Charts'): WrittenReport {
  mkdirSync(join(outDir, 'charts'), { recursive: true });
  const files: string[] = [];
  const figures: Figure[] = [];
  for (const c of charts) {
    const png = `charts/${c.id}.png`, json = `charts/${c.id}.json`;
    writeFileSync(join(outDir, png), renderChart(c.config));
    writeFileSync(join(outDir, json), JSON.stringify({ id: c.id, title: c.title, caption: c.caption, type: (c.config as { type: string }).type, data: c.config.data }, null, 1) + '\n');
    files.push(png, json);
    figures.push({ file: png, title: c.title, caption: c.caption });
  }
  const full: Page = { ...page, sections: [...page.sections, ...(figures.length ? [{ heading: chartsHeading, figures }] : [])] };
  const html = join(outDir, 'index.html');
  writeFileSync(html, renderPage(full));
  files.push('index.html');
  return { html, files };
}

/** Numbers for tables: 3 significant digits, no exponent for ordinary magnitudes, '–' for no value. */
export function fmt(x: number | null | undefined): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 100) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}
