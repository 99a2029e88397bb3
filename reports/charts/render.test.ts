import test from 'ava';
import { loadImage, createCanvas } from 'canvas';
import { renderChart, CHART_HEIGHT, CHART_WIDTH } from './render.js';
import { barChart, lineChart } from './spec.js';
import { OKABE_ITO, withAlpha } from './palette.js';

const line = () => lineChart({ title: 'T', x: 'time (s)', y: 'fraction', yMin: 0, yMax: 1, series: [
  { label: 'a', points: [{ x: 0, y: 0 }, { x: 10, y: 0.5 }, { x: 20, y: 1 }], stepped: true },
  { label: 'b', points: [{ x: 0, y: 0 }, { x: 5, y: NaN }, { x: 20, y: 0.7 }], dashed: true },
] });

/** Pixels that are not white: a blank (or failed) chart has none. */
async function inkPixels(png: Buffer): Promise<number> {
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, img.width, img.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) ink++;
  return ink;
}

test('a chart renders to a PNG of the fixed size with an opaque white background and ink on it', async (t) => {
  const png = renderChart(line());
  t.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const img = await loadImage(png);
  t.is(img.width, CHART_WIDTH);
  t.is(img.height, CHART_HEIGHT);
  const ctx = createCanvas(1, 1).getContext('2d');
  ctx.drawImage(img, 0, 0, 1, 1, 0, 0, 1, 1);
  t.deepEqual([...ctx.getImageData(0, 0, 1, 1).data], [255, 255, 255, 255], 'corner is opaque white');
  t.true((await inkPixels(png)) > 2000, 'axes, labels and lines are drawn');
});

test('same data → same PNG bytes (animation off, fixed font, dpr 1)', (t) => {
  t.true(renderChart(line()).equals(renderChart(line())));
  const bars = () => barChart({ title: 'B', y: 's', labels: ['x', 'y'], values: [3, 5], whiskers: [[2, 4], [4, 6]], datasetLabel: 'median' });
  t.true(renderChart(bars()).equals(renderChart(bars())));
});

test('different data → different bytes; CI whiskers add ink; the axis grows to the top whisker', async (t) => {
  // Same fixed axis for both, so the only difference is the whisker itself.
  const plain = renderChart(barChart({ title: 'B', y: 's', labels: ['x'], values: [3], yMax: 6, datasetLabel: 'm' }));
  const whisk = renderChart(barChart({ title: 'B', y: 's', labels: ['x'], values: [3], yMax: 6, whiskers: [[1, 5]], datasetLabel: 'm' }));
  t.false(plain.equals(whisk));
  t.true((await inkPixels(whisk)) > (await inkPixels(plain)));
  const cfg = barChart({ title: 'B', y: 's', labels: ['x'], values: [3], whiskers: [[1, 9]], datasetLabel: 'm' });
  t.is((cfg.options as { scales: { y: { suggestedMax: number } } }).scales.y.suggestedMax, 9);
});

test('palette: Okabe–Ito, eight distinct colours, alpha helper', (t) => {
  t.is(new Set(OKABE_ITO).size, 8);
  t.is(withAlpha('#0072B2', 0.5), 'rgba(0, 114, 178, 0.5)');
});
