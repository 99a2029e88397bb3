import type { PeerSource, PeerSourceContext, AnnounceEvent } from '../plugin-api/peer-source.js';
import type { TimerHandle } from '../seam/time.js';
import { TrackerTiers } from './tiers.js';
import type { AnnounceRequest, AnnounceResult, Cancelable, Done } from './types.js';

/**
 * The announce schedule of one torrent over one set of BEP 12 tiers, whatever the transport.
 * - events (BEP3-TRK-3): `started` until a tracker accepts it, `completed` when the download
 *   finishes (only if `started` was already sent), `stopped` on stop, nothing when periodic;
 * - periodic re-announce after the tracker's `interval` (BEP15-ANN-5), never sooner than its
 *   `min interval`; events go out at once (BEP3-TRK-8);
 * - a round tries trackers in tier order until one answers; if none does, back off
 *   exponentially (with jitter from the host's Random) and start over;
 * - `numwant` from ctx.peersWanted(), a `key` random per session, `trackerid` echoed.
 */
export type AnnounceTransport = (url: string, req: AnnounceRequest, done: Done<AnnounceResult>) => Cancelable;

export interface AnnouncerOptions {
  /** The PeerSource name, also the `source` label on added peers. */
  name: string;
  transport: AnnounceTransport;
  /** Keep only URLs this transport speaks. */
  accepts(url: string): boolean;
  /** How long stop() waits for the `stopped` announce. */
  stopTimeoutMs?: number;
  /** First back-off after a round where every tracker failed; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Floor for the re-announce delay, whatever a tracker says (a 0 interval would spin). */
  minIntervalFloorMs?: number;
  maxNumwant?: number;
}

export class TierAnnouncer implements PeerSource {
  readonly name: string;
  readonly tiers: TrackerTiers;
  private readonly key: number;
  private readonly trackerIds = new Map<string, Uint8Array>();
  private event: AnnounceEvent = 'started';
  private startedSent = false;
  private stopped = false;
  private urgent = false;
  private failures = 0;
  private lastGood: string | undefined;
  private inflight: Cancelable | null = null;
  private timer: TimerHandle | null = null;
  /** When the last successful answer came, and the least gap the tracker allows after it. */
  private lastAnswerAt: number | undefined;
  private minGapMs = 60_000;
  private earlyTimerAt: number | undefined;
  /** Last successful result per URL (status output, tests) — without its peer list: the pool has the peers. */
  readonly lastResult = new Map<string, AnnounceResult>();
  readonly errors: Array<{ url: string; at: number; message: string }> = [];

  constructor(private readonly ctx: PeerSourceContext, private readonly o: AnnouncerOptions) {
    this.name = o.name;
    this.tiers = new TrackerTiers(ctx.trackers, ctx.host.random, o.accepts);
    this.key = ctx.host.random.u32();
  }

  start(): void { this.announceNow(); }

  /**
   * BEP3-TRK-8: re-announce early to get more peers — but not before the tracker's
   * `min interval` (or our floor) since the last answer, so a starving swarm cannot hammer it.
   */
  wantMore(): void {
    if (this.stopped || this.inflight || this.lastAnswerAt === undefined) return;
    const earliest = this.lastAnswerAt + this.minGapMs;
    const now = this.ctx.host.clock.now();
    if (now >= earliest) { this.announceNow(); return; }
    if (this.earlyTimerAt !== undefined && this.earlyTimerAt <= earliest) return;
    this.timer?.cancel();
    this.earlyTimerAt = earliest;
    this.timer = this.ctx.host.timers.after(earliest - now, () => { this.timer = null; this.earlyTimerAt = undefined; this.announceNow(); });
  }

  completed(): void {
    if (this.stopped) return;
    // BEP3-TRK-3: `completed` only after `started` went out; before that, `started` with left = 0 says it.
    if (this.startedSent) { this.event = 'completed'; this.announceNow(); }
  }

  stop(done: () => void): void {
    if (this.stopped) { done(); return; }
    this.stopped = true;
    this.timer?.cancel(); this.timer = null;
    this.inflight?.cancel(); this.inflight = null;
    const url = this.lastGood ?? this.tiers.order()[0];
    if (!this.startedSent || !url) { done(); return; }
    let finished = false;
    let req: Cancelable | null = null;
    const finish = () => { if (!finished) { finished = true; guard.cancel(); req?.cancel(); done(); } };
    const guard = this.ctx.host.timers.after(this.o.stopTimeoutMs ?? 5_000, finish);
    const r = this.o.transport(url, this.request('stopped', url), () => finish());
    if (!finished) req = r;
  }

  // ---- internals ----------------------------------------------------------------------

  private request(event: AnnounceEvent, url: string): AnnounceRequest {
    const s = this.ctx.stats();
    const r: AnnounceRequest = {
      infoHash: this.ctx.infoHash, peerId: this.ctx.peerId, port: this.ctx.port,
      uploaded: s.uploaded, downloaded: s.downloaded, left: s.left, event, key: this.key,
      numwant: event === 'stopped' ? 0 : Math.max(0, Math.min(this.o.maxNumwant ?? 200, this.ctx.peersWanted())),
    };
    const tid = this.trackerIds.get(url);
    if (tid) r.trackerId = tid;
    return r;
  }

  private announceNow(): void {
    if (this.stopped) return;
    this.earlyTimerAt = undefined;
    if (this.inflight) { this.urgent = true; return; }
    this.timer?.cancel(); this.timer = null;
    this.round(this.tiers.order(), 0);
  }

  private round(order: string[], i: number): void {
    if (this.stopped) return;
    const url = order[i];
    if (url === undefined) { this.backOff(); return; }
    const event = this.event;
    let answered = false;
    const handle = this.o.transport(url, this.request(event, url), (err, res) => {
      answered = true;
      this.inflight = null;
      if (this.stopped) return;
      if (err || !res) {
        this.errors.push({ url, at: this.ctx.host.clock.now(), message: err?.message ?? 'no result' });
        if (this.errors.length > 20) this.errors.shift();
        this.ctx.host.log.log('debug', 'tracker announce failed', { url, error: err?.message });
        if (this.urgent) { this.urgent = false; this.announceNow(); return; }
        this.round(order, i + 1);
        return;
      }
      this.succeeded(url, event, res);
    });
    // A transport may answer synchronously (a cached failure); then nothing is in flight.
    if (!answered) this.inflight = handle;
  }

  private succeeded(url: string, event: AnnounceEvent, res: AnnounceResult): void {
    this.tiers.promote(url); // BEP 12
    this.lastGood = url;
    this.failures = 0;
    this.lastResult.set(url, res.peers.length ? { ...res, peers: [] } : res); // not the peer list: the pool has it
    if (res.trackerId) this.trackerIds.set(url, res.trackerId);
    if (event === 'started' || event === 'completed') this.startedSent = true;
    if (this.event === event) this.event = 'none';
    if (res.peers.length) this.ctx.addPeers(res.peers, this.name);
    if (this.urgent) { this.urgent = false; this.announceNow(); return; }
    const floor = this.o.minIntervalFloorMs ?? 10_000;
    const delay = Math.max(res.interval * 1000, (res.minInterval ?? 0) * 1000, floor);
    this.lastAnswerAt = this.ctx.host.clock.now();
    this.minGapMs = Math.max((res.minInterval ?? res.interval / 2) * 1000, floor);
    this.earlyTimerAt = undefined;
    this.timer = this.ctx.host.timers.after(delay, () => { this.timer = null; this.announceNow(); });
  }

  private backOff(): void {
    this.failures++;
    const min = this.o.minBackoffMs ?? 15_000, max = this.o.maxBackoffMs ?? 30 * 60_000;
    const base = Math.min(max, min * 2 ** Math.min(this.failures - 1, 20));
    const delay = Math.round(base * (0.9 + 0.2 * this.ctx.host.random.float())); // jitter: trackers hate synchronised retries
    this.timer = this.ctx.host.timers.after(delay, () => { this.timer = null; this.announceNow(); });
  }
}
