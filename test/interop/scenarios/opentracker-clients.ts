/**
 * Scenario (run inside a lab namespace by test/interop/opentracker-clients.test.ts): our UDP
 * (BEP 15) and HTTP (BEP 3/23) tracker clients against opentracker, which the test started in
 * the same namespace with <ok-hash> on its allow-list (and nothing else).
 *
 *   node opentracker-clients.js <tracker-ip> <tracker-port> <ok-hash-hex>
 *
 * Prints one {"check": …} line per assertion (see check.ts). Our peers announce from the
 * tracker's address (127.0.0.1), which opentracker records as their IP.
 */
import type { Address } from '../../../core/seam/net.js';
import { httpAnnounce, httpScrape } from '../../../core/tracker/http-client.js';
import { UdpTrackerClient } from '../../../core/tracker/udp-client.js';
import type { AnnounceRequest, AnnounceResult } from '../../../core/tracker/types.js';
import { toHex } from '../../../core/util/bytes.js';
import { TrackerError } from '../../../core/util/errors.js';
import { realClock, realRandom, realTimers } from '../../../host/time.js';
import { createNodeHttpNet } from '../../../host/net/http.js';
import { createNodeUdpNet } from '../../../host/net/udp.js';
import { check, runScenario } from './check.js';

const [IP = '127.0.0.1', PORT = '6969', OK_HEX = ''] = process.argv.slice(2);
/** On the tracker's allow-list; BAD_HASH is not. */
const OK_HASH = Uint8Array.from(Buffer.from(OK_HEX, 'hex'));
const BAD_HASH = new Uint8Array(20).fill(0x42);

const req = (n: number, port: number, infoHash = OK_HASH): AnnounceRequest => ({
  infoHash, peerId: new TextEncoder().encode(`-BL0100-${String(n).padStart(12, '0')}`), port,
  uploaded: 0, downloaded: 0, left: 1000, event: 'started', key: 1000 + n, numwant: 50,
});

const errDetail = (e: Error | null) => ({ isTrackerError: e instanceof TrackerError, name: e?.name ?? null, message: e?.message ?? null });

async function main(ip: string, port: number): Promise<void> {
  const udp = createNodeUdpNet();
  const http = createNodeHttpNet();
  let sockClose = () => {};
  try {
    const client = await new Promise<UdpTrackerClient>((resolve, reject) => {
      let c!: UdpTrackerClient;
      udp.bind({ port: 0, host: ip }, (d, from) => c.handleDatagram(d, from), (e, s) => {
        if (e) return reject(e);
        sockClose = () => s!.close();
        c = new UdpTrackerClient({ clock: realClock, timers: realTimers, random: realRandom(), send: (d, to) => s!.send(d, to) }, { baseTimeoutMs: 300, maxRetransmits: 2 });
        resolve(c);
      });
    });
    const tracker: Address = { host: ip, port };
    const url = `http://${ip}:${port}/announce`;
    const viaUdp = (r: AnnounceRequest) => new Promise<AnnounceResult>((res, rej) => client.announce(tracker, r, (e, x) => (e ? rej(e) : res(x!))));
    const viaHttp = (r: AnnounceRequest) => new Promise<AnnounceResult>((res, rej) => httpAnnounce(http, url, r, { timeoutMs: 3000 }, (e, x) => (e ? rej(e) : res(x!))));

    const a = await viaUdp(req(1, 31001));
    check('BEP15-ANN-3:interval', a.interval > 0, { interval: a.interval });
    const b = await viaHttp(req(2, 31002));
    check('BEP3-TRK-6:http-sees-udp-peer', b.peers.some((p) => p.host === ip && p.port === 31001), { peers: b.peers });
    check('BEP3-TRK-6:interval', b.interval > 0, { interval: b.interval });
    const c = await viaUdp({ ...req(3, 31003) });
    check('BEP15-ANN-3:udp-sees-both', c.peers.some((p) => p.port === 31001) && c.peers.some((p) => p.port === 31002), { peers: c.peers });
    check('BEP15-ANN-3:incomplete', (c.incomplete ?? 0) >= 2, { incomplete: c.incomplete ?? null });

    const scrape = await new Promise<Map<string, { incomplete: number }>>((res, rej) => httpScrape(http, url, [OK_HASH], {}, (e, x) => (e ? rej(e) : res(x!))));
    const hs = scrape.get(toHex(OK_HASH));
    check('BEP48:http-scrape-incomplete', (hs?.incomplete ?? 0) >= 3, { entry: hs ?? null });
    const udpScrape = await new Promise<Map<string, { incomplete: number }>>((res, rej) => client.scrape(tracker, [OK_HASH], (e, x) => (e ? rej(e) : res(x!))));
    const us = udpScrape.get(toHex(OK_HASH));
    check('BEP15-SCR-2:udp-scrape-incomplete', (us?.incomplete ?? 0) >= 3, { entry: us ?? null });

    // A hash not on the allow-list: HTTP failure reason (BEP3-TRK-5) ...
    const httpErr = await viaHttp(req(4, 31004, BAD_HASH)).then(() => null, (e: Error) => e);
    check('BEP3-TRK-5:failure-reason', httpErr instanceof TrackerError && /not authorized/.test(httpErr.message), errDetail(httpErr));
    // ... and over UDP an 8-byte announce reply, which BEP15-ANN-4 says to ignore: we time out naming it.
    const udpErr = await viaUdp(req(5, 31005, BAD_HASH)).then(() => null, (e: Error) => e);
    check('BEP15-ANN-4:short-reply', udpErr instanceof TrackerError && /announce reply too short: 8 < 20/.test(udpErr.message), errDetail(udpErr));

    // Leave nothing behind.
    for (const [n, p] of [[1, 31001], [2, 31002], [3, 31003]] as const) await viaUdp({ ...req(n, p), event: 'stopped', numwant: 0 });
    check('BEP15-ANN-1:stopped', true);
  } finally {
    sockClose();
  }
}

runScenario(async () => {
  if (OK_HASH.length !== 20) throw new Error(`usage: opentracker-clients.js <ip> <port> <40-hex info hash>, got ${JSON.stringify(OK_HEX)}`);
  await main(IP, Number(PORT));
});
