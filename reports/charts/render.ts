import { createCanvas, registerFont } from 'canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import { existsSync } from 'node:fs';

Chart.register(...registerables);

/**
 * Chart.js 4 drawn on node-canvas into PNG bytes. Everything that could vary between runs is
 * pinned so the same data gives the same bytes: fixed size, devicePixelRatio 1, no animation,
 * no responsiveness, one bundled-with-Debian font registered by file (fontconfig's choice of
 * "sans-serif" could differ between machines), and an opaque white background (transparent
 * PNGs turn black in some viewers and printers).
 */
export const CHART_WIDTH = 900;
export const CHART_HEIGHT = 500;

const FONT_FILE = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
const FONT_BOLD = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
export const FONT_FAMILY = existsSync(FONT_FILE) ? 'BtLabSans' : 'sans-serif';
if (FONT_FAMILY === 'BtLabSans') {
  registerFont(FONT_FILE, { family: 'BtLabSans' });
  if (existsSync(FONT_BOLD)) registerFont(FONT_BOLD, { family: 'BtLabSans', weight: 'bold' });
}
Chart.defaults.font.family = FONT_FAMILY;
Chart.defaults.font.size = 13;
Chart.defaults.color = '#222222';

const whiteBackground: Plugin = {
  id: 'btlabWhiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/** Render one chart configuration to PNG bytes. */
export function renderChart(config: ChartConfiguration, width = CHART_WIDTH, height = CHART_HEIGHT): Buffer {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const options = { ...(config.options ?? {}), animation: false as const, responsive: false, maintainAspectRatio: false, devicePixelRatio: 1 };
  const chart = new Chart(ctx as unknown as CanvasRenderingContext2D, { ...config, options, plugins: [...(config.plugins ?? []), whiteBackground] } as ChartConfiguration);
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}
