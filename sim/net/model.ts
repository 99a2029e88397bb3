/**
 * The bandwidth model in closed form, for tests, docs and sanity checks of scenario results.
 *
 * `count` messages of `size` wire bytes, all queued at t = 0 on one established link with no
 * competing traffic and a window that does not bind: the first message needs its uplink time,
 * the propagation latency and its downlink time; each further one adds the bottleneck's time
 * (the slower of the two links), because the two serialisations pipeline.
 *
 *   T = size/up + latency + size/down + (count − 1) · size / min(up, down)
 */
export function transferTimeMs(p: { count: number; size: number; upBps: number; downBps: number; latencyMs: number }): number {
  if (p.count <= 0) return 0;
  const up = p.size / (p.upBps / 1000);
  const down = p.size / (p.downBps / 1000);
  return up + p.latencyMs + down + (p.count - 1) * Math.max(up, down);
}
