import type { PeerSourcePlugin } from '../../core/plugin-api/peer-source.js';
import type { Host } from '../../core/seam/host.js';
import type { Address, UdpSocket } from '../../core/seam/net.js';
import { TierAnnouncer } from '../../core/tracker/announcer.js';
import { UdpTrackerClient } from '../../core/tracker/udp-client.js';
import { parseUdpTrackerUrl } from '../../core/tracker/udp-url.js';
import { TrackerError } from '../../core/util/errors.js';

/**
 * Peers from UDP trackers (BEP 15) over BEP 12 tiers. All torrents of one Host share ONE
 * datagram socket and one client (replies are demultiplexed by transaction id); the socket
 * is bound on first use and closed when the last torrent stops.
 */
class SharedUdpTracker {
  readonly client: UdpTrackerClient;
  users = 0;
  private sock: UdpSocket | undefined;
  private failed: Error | undefined;
  private queued: Array<[Uint8Array, Address]> = [];

  constructor(host: Host, retransmits: number, private readonly onEmpty: () => void) {
    this.client = new UdpTrackerClient({
      clock: host.clock, timers: host.timers, random: host.random.fork('udp-tracker'),
      send: (data, to) => { if (this.sock) this.sock.send(data, to); else if (!this.failed) this.queued.push([data, to]); },
    }, { maxRetransmits: retransmits });
    host.udp.bind({ port: 0 }, (d, from) => this.client.handleDatagram(d, from), (err, s) => {
      if (err || !s) {
        this.failed = new TrackerError(`cannot bind a UDP socket: ${err?.message ?? 'unknown'}`);
        this.queued = [];
        this.client.close();
        return;
      }
      if (this.users === 0) { s.close(); return; }
      this.sock = s;
      for (const [d, to] of this.queued) s.send(d, to);
      this.queued = [];
    });
  }

  error(): Error | undefined { return this.failed; }

  release(): void {
    if (--this.users > 0) return;
    this.client.close();
    this.sock?.close();
    this.onEmpty();
  }
}

const shared = new WeakMap<Host, SharedUdpTracker>();

function acquire(host: Host, retransmits: number): SharedUdpTracker {
  let s = shared.get(host);
  if (!s) {
    const created: SharedUdpTracker = new SharedUdpTracker(host, retransmits, () => { if (shared.get(host) === created) shared.delete(host); });
    s = created;
    shared.set(host, s);
  }
  s.users++;
  return s;
}

const isUdp = (u: string) => parseUdpTrackerUrl(u) !== null;

export const udpTrackerSource: PeerSourcePlugin = {
  name: 'source:udp-tracker',
  description: 'Announce to UDP trackers from the torrent\'s tiers (BEP 15/12), one shared socket',
  options: [
    {
      name: 'retransmits', type: 'number', default: 3,
      describe: 'Highest n in the 15·2^n s retry schedule (BEP 15 says 8 = over 2 h; lower fails over to the next tracker sooner)',
    },
    { name: 'stopTimeoutMs', type: 'number', default: 5_000, describe: 'How long `stopped` may take' },
  ],
  create(ctx, options) {
    if (!ctx.trackers.some((t) => t.some(isUdp))) return null;
    const retransmits = Number(options.retransmits ?? 3);
    let shared: SharedUdpTracker | null = null;
    const announcer = new TierAnnouncer(ctx, {
      name: 'source:udp-tracker',
      accepts: isUdp,
      stopTimeoutMs: Number(options.stopTimeoutMs ?? 5_000),
      transport: (url, req, done) => {
        shared ??= acquire(ctx.host, retransmits);
        const failed = shared.error();
        if (failed) { done(failed); return { cancel() {} }; }
        return shared.client.announce(parseUdpTrackerUrl(url)!, req, done);
      },
    });
    // Release the shared socket once the announcer has finished stopping.
    const stop = announcer.stop.bind(announcer);
    announcer.stop = (done) => stop(() => { shared?.release(); shared = null; done(); });
    return announcer;
  },
};
