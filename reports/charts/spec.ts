import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { colour, dash, withAlpha } from './palette.js';
import { whiskersPlugin } from './whiskers.js';

/** One chart of a report: file stem, title, a caption saying how to read it, and the chart.js config. */
export interface ChartSpec {
  id: string;
  title: string;
  caption: string;
  config: ChartConfiguration;
}

export type Pt = { x: number; y: number };

/** A line; its colour comes from colourIndex (default: its position). Dash: `dashed` = secondary series, `solid` = force solid, else a per-colour pattern (reads in greyscale print). */
export interface LineSeries { label: string; points: Pt[]; dashed?: boolean; solid?: boolean; stepped?: boolean; colourIndex?: number }

const axisTitle = (text: string) => ({ display: true, text, font: { size: 13 } });

/** A line chart on linear axes, one colour per series (dashes for secondary series). */
export function lineChart(o: { title: string; x: string; y: string; series: LineSeries[]; yMin?: number; yMax?: number; xMin?: number; yLog?: boolean }): ChartConfiguration {
  const datasets: ChartDataset<'line', Pt[]>[] = o.series.map((s, i) => {
    const ci = s.colourIndex ?? i;
    return {
      label: s.label,
      data: s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)),
      borderColor: colour(ci),
      backgroundColor: colour(ci),
      borderDash: s.dashed ? [7, 4] : s.solid ? [] : dash(ci),
      borderWidth: 2,
      pointRadius: 0,
      stepped: s.stepped ? 'after' : false,
      fill: false,
    };
  });
  return {
    type: 'line',
    data: { datasets },
    options: {
      parsing: false,
      plugins: { title: { display: true, text: o.title, font: { size: 16, weight: 'bold' } }, legend: { position: 'bottom', labels: { boxWidth: 28, boxHeight: 2 } } },
      scales: {
        x: { type: 'linear', min: o.xMin, title: axisTitle(o.x) },
        y: { type: o.yLog ? 'logarithmic' : 'linear', min: o.yMin, max: o.yMax, title: axisTitle(o.y) },
      },
    },
  } as ChartConfiguration;
}

/** Bars (one per category) with optional [low, high] whiskers, e.g. median with its 95 % CI. */
export function barChart(o: { title: string; y: string; x?: string; labels: string[]; values: number[]; whiskers?: ([number, number] | null)[]; yMin?: number; yMax?: number; datasetLabel: string }): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: o.labels,
      datasets: [{
        label: o.datasetLabel,
        data: o.values.map((v) => (Number.isFinite(v) ? v : null)),
        backgroundColor: o.labels.map((_, i) => withAlpha(colour(i), 0.85)),
        borderColor: o.labels.map((_, i) => colour(i)),
        borderWidth: 1,
        whiskers: o.whiskers,
      } as ChartDataset<'bar'>],
    },
    options: {
      plugins: { title: { display: true, text: o.title, font: { size: 16, weight: 'bold' } }, legend: { display: true, position: 'bottom', labels: { boxWidth: 0 } } },
      // The axis must reach the top whisker, not just the tallest bar (chart.js scales to the data only).
      scales: { y: { min: o.yMin ?? 0, max: o.yMax, suggestedMax: Math.max(0, ...o.values.filter(Number.isFinite), ...(o.whiskers ?? []).map((w) => (w && Number.isFinite(w[1]) ? w[1] : 0))), title: axisTitle(o.y) }, x: { title: axisTitle(o.x ?? 'strategy (picker/choker)') } },
    },
    plugins: [whiskersPlugin],
  } as ChartConfiguration;
}

/** Stacked bars: one bar per category, one stack segment per series. */
export function stackedBarChart(o: { title: string; y: string; x: string; labels: string[]; stacks: { label: string; values: number[]; colourIndex: number }[] }): ChartConfiguration {
  return {
    type: 'bar',
    data: { labels: o.labels, datasets: o.stacks.map((s) => ({ label: s.label, data: s.values, backgroundColor: colour(s.colourIndex), borderColor: '#000000', borderWidth: 0.5 })) },
    options: {
      plugins: { title: { display: true, text: o.title, font: { size: 16, weight: 'bold' } }, legend: { position: 'bottom' } },
      scales: { x: { stacked: true, title: axisTitle(o.x) }, y: { stacked: true, min: 0, title: axisTitle(o.y) } },
    },
  } as ChartConfiguration;
}
