import type { PeerSourcePlugin } from '../../core/plugin-api/peer-source.js';
import { TierAnnouncer } from '../../core/tracker/announcer.js';
import { httpAnnounce } from '../../core/tracker/http-client.js';

const isHttp = (u: string) => /^https?:\/\//i.test(u);

/**
 * Peers from HTTP(S) trackers (BEP 3, BEP 23 compact, BEP 7 peers6) over BEP 12 tiers.
 * The announce schedule lives in core/tracker/announcer.ts; this file only picks the URLs
 * and plugs in the HTTP transport.
 */
export const httpTrackerSource: PeerSourcePlugin = {
  name: 'source:http-tracker',
  description: 'Announce to HTTP(S) trackers from the torrent\'s tiers (BEP 3/12/23/7)',
  options: [
    { name: 'timeoutMs', type: 'number', default: 15_000, describe: 'Per-announce HTTP timeout' },
    { name: 'maxBytes', type: 'number', default: 1 << 20, describe: 'Largest tracker reply accepted' },
    { name: 'stopTimeoutMs', type: 'number', default: 5_000, describe: 'How long `stopped` may take' },
  ],
  create(ctx, options) {
    if (!ctx.trackers.some((t) => t.some(isHttp))) return null;
    const timeoutMs = Number(options.timeoutMs ?? 15_000);
    const maxBytes = Number(options.maxBytes ?? 1 << 20);
    return new TierAnnouncer(ctx, {
      name: 'source:http-tracker',
      accepts: isHttp,
      stopTimeoutMs: Number(options.stopTimeoutMs ?? 5_000),
      transport: (url, req, done) => httpAnnounce(ctx.host.http, url, req, { timeoutMs, maxBytes }, done),
    });
  },
};
