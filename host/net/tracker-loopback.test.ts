import test from 'ava';
import type { Host } from '../../core/seam/host.js';
import type { Address } from '../../core/seam/net.js';
import type { PeerSource } from '../../core/plugin-api/peer-source.js';
import { TrackerServer } from '../../core/tracker/server/tracker-server.js';
import { serveTracker, type RunningTracker } from '../../core/tracker/server/serve.js';
import { httpAnnounce, httpScrape } from '../../core/tracker/http-client.js';
import { UdpTrackerClient } from '../../core/tracker/udp-client.js';
import type { AnnounceRequest, AnnounceResult } from '../../core/tracker/types.js';
import { fakeSourceContext } from '../../core/tracker/testing/fake-host.js';
import { httpTrackerSource } from '../../plugins/sources/http-tracker.js';
import { udpTrackerSource } from '../../plugins/sources/udp-tracker.js';
import { realClock, realRandom, realTimers } from '../time.js';
import { createNodeHttpNet } from './http.js';
import { createNodeUdpNet } from './udp.js';

/**
 * Real sockets on 127.0.0.1 only: bt-lab's HTTP and UDP tracker clients against bt-lab's own
 * tracker server, and the two peer-source plugins end to end.
 */
function realHost(): Host {
  const no = () => { throw new Error('not used'); };
  return {
    clock: realClock, timers: realTimers, random: realRandom(),
    udp: createNodeUdpNet(), http: createNodeHttpNet({ bindHost: '127.0.0.1' }),
    peers: { connect: no, listen: no }, storage: { open: no }, log: { log() {} },
  };
}

async function startTracker(host: Host): Promise<{ server: TrackerServer; running: RunningTracker }> {
  const server = new TrackerServer({ clock: host.clock, random: host.random, intervalS: 30 });
  const running = await new Promise<RunningTracker>((resolve, reject) => serveTracker(server, {
    http: { net: host.http, port: 0 }, udp: { net: host.udp, port: 0, host: '127.0.0.1' },
  }, (e, r) => (e ? reject(e) : resolve(r!))));
  return { server, running };
}

const ih = new Uint8Array(20).fill(0x5a);
const req = (n: number, port: number): AnnounceRequest => ({
  infoHash: ih, peerId: new TextEncoder().encode(`-BL0100-${String(n).padStart(12, '0')}`), port,
  uploaded: 0, downloaded: 0, left: 100, event: 'started', key: n, numwant: 50,
});

test('our UDP and HTTP clients announce to our server on 127.0.0.1 and get each other back', async (t) => {
  const host = realHost();
  const { server, running } = await startTracker(host);
  const udpClient = await new Promise<{ client: UdpTrackerClient; close(): void }>((resolve, reject) => {
    let client!: UdpTrackerClient;
    host.udp.bind({ port: 0, host: '127.0.0.1' }, (d, from) => client.handleDatagram(d, from), (e, s) => {
      if (e) return reject(e);
      client = new UdpTrackerClient({ clock: host.clock, timers: host.timers, random: host.random, send: (d, to) => s!.send(d, to) }, { baseTimeoutMs: 500, maxRetransmits: 3 });
      resolve({ client, close: () => s!.close() });
    });
  });
  try {
    const tracker: Address = { host: '127.0.0.1', port: running.udpPort! };
    const announceUrl = `http://127.0.0.1:${running.httpPort}/announce`;
    const viaUdp = (r: AnnounceRequest) => new Promise<AnnounceResult>((res, rej) => udpClient.client.announce(tracker, r, (e, x) => (e ? rej(e) : res(x!))));
    const viaHttp = (r: AnnounceRequest) => new Promise<AnnounceResult>((res, rej) => httpAnnounce(host.http, announceUrl, r, { timeoutMs: 3000 }, (e, x) => (e ? rej(e) : res(x!))));

    const first = await viaUdp(req(1, 10001));
    t.deepEqual(first.peers, []);
    const second = await viaHttp(req(2, 10002));
    t.deepEqual(second.peers, [{ host: '127.0.0.1', port: 10001 }]);
    const third = await viaUdp({ ...req(1, 10001), event: 'none' });
    t.deepEqual(third.peers, [{ host: '127.0.0.1', port: 10002 }]);
    t.like(third, { interval: 30, complete: 0, incomplete: 2 });
    const scrape = await new Promise<Map<string, unknown>>((res, rej) => httpScrape(host.http, announceUrl, [ih], {}, (e, x) => (e ? rej(e) : res(x!))));
    t.deepEqual(scrape.get('5a'.repeat(20)), { complete: 0, downloaded: 0, incomplete: 2 });
    const udpScrape = await new Promise<Map<string, unknown>>((res, rej) => udpClient.client.scrape(tracker, [ih], (e, x) => (e ? rej(e) : res(x!))));
    t.deepEqual(udpScrape.get('5a'.repeat(20)), { complete: 0, downloaded: 0, incomplete: 2 });
    t.like(server.stats(), { announces: 3, scrapes: 2, connects: 1, peers: 2 });
  } finally {
    udpClient.close();
    running.close();
  }
});

test('the peer-source plugins end to end: started finds the other peer, stop sends stopped and the swarm empties', async (t) => {
  const host = realHost();
  const { server, running } = await startTracker(host);
  try {
    const mk = (url: string, port: number) => {
      const { ctx, added } = fakeSourceContext(host, [[url]], { port, peerId: new TextEncoder().encode(`-BL0100-${String(port).padStart(12, '0')}`) });
      return { ctx, added };
    };
    const u = mk(`udp://127.0.0.1:${running.udpPort}/announce`, 20001);
    const h = mk(`http://127.0.0.1:${running.httpPort}/announce`, 20002);
    const udpSrc = udpTrackerSource.create(u.ctx, {}) as PeerSource;
    const httpSrc = httpTrackerSource.create(h.ctx, {}) as PeerSource;
    t.is(httpTrackerSource.create(u.ctx, {}), null, 'no http tracker → null');
    t.is(udpTrackerSource.create(h.ctx, {}), null, 'no udp tracker → null');
    udpSrc.start();
    await waitFor(() => server.stats().peers === 1);
    httpSrc.start();
    await waitFor(() => h.added.length > 0);
    t.deepEqual(h.added[0], { peers: [{ host: '127.0.0.1', port: 20001 }], source: 'source:http-tracker' });
    await new Promise<void>((r) => udpSrc.stop(r));
    await new Promise<void>((r) => httpSrc.stop(r));
    t.like(server.stats(), { peers: 0 });
    t.is(u.added.length, 0, 'the first peer got nobody back');
  } finally {
    running.close();
  }
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
