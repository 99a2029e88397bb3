import type { Plugin } from 'chart.js';

/**
 * Error bars for bar charts (chart.js has none built in): a dataset may carry
 * `whiskers: ([low, high] | null)[]`, one per bar, drawn as a vertical line with caps in the
 * plot's y units. Used for the 95 % confidence interval of the median.
 */
export const whiskersPlugin: Plugin = {
  id: 'btlabWhiskers',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const y = chart.scales.y;
    if (!y) return;
    chart.data.datasets.forEach((ds, di) => {
      const w = (ds as { whiskers?: ([number, number] | null)[] }).whiskers;
      if (!w) return;
      const meta = chart.getDatasetMeta(di);
      meta.data.forEach((bar, i) => {
        const range = w[i];
        if (!range || !Number.isFinite(range[0]) || !Number.isFinite(range[1])) return;
        const x = bar.x;
        const top = y.getPixelForValue(range[1]);
        const bottom = y.getPixelForValue(range[0]);
        const cap = 7;
        ctx.save();
        ctx.strokeStyle = '#000000';
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(x, top); ctx.lineTo(x, bottom);
        ctx.moveTo(x - cap, top); ctx.lineTo(x + cap, top);
        ctx.moveTo(x - cap, bottom); ctx.lineTo(x + cap, bottom);
        ctx.stroke();
        ctx.restore();
      });
    });
  },
};
