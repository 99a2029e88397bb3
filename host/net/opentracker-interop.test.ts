import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Address } from '../../core/seam/net.js';
import { httpAnnounce, httpScrape } from '../../core/tracker/http-client.js';
import { UdpTrackerClient } from '../../core/tracker/udp-client.js';
import type { AnnounceRequest, AnnounceResult } from '../../core/tracker/types.js';
import { toHex } from '../../core/util/bytes.js';
import { TrackerError } from '../../core/util/errors.js';
import { realClock, realRandom, realTimers } from '../time.js';
import { createNodeHttpNet } from './http.js';
import { createNodeUdpNet } from './udp.js';

/**
 * Interop with opentracker (Debian build) on 127.0.0.1, over UDP (BEP 15) and HTTP (BEP 3/23).
 * opentracker is installed on this machine: its absence is a failure, not a skip.
 * Debian's build only tracks allow-listed hashes (`-w FILE`, relative to `-d DIR`, because
 * as root it chroots there and drops to `nobody`); a non-listed hash gets "not authorized"
 * over HTTP and an 8-byte announce reply over UDP (too short for BEP15-ANN-4).
 */
const OK_HASH = new Uint8Array(20).map((_, i) => (i * 37 + 11) & 255);
const BAD_HASH = new Uint8Array(20).fill(0x42);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function tcpUp(port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const ok = await new Promise<boolean>((res) => {
      const c = connect(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); res(true); });
      c.once('error', () => res(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function startOpentracker(t: { log(...a: unknown[]): void }): Promise<{ port: number; child: ChildProcess; dir: string; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'bt-lab-ot-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'whitelist.txt'), `${toHex(OK_HASH)}\n`);
  chmodSync(join(dir, 'whitelist.txt'), 0o644);
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    // Bounded by `timeout` whatever happens to this test process.
    const child = spawn('timeout', ['60', 'opentracker', '-i', '127.0.0.1', '-p', String(port), '-P', String(port), '-d', dir, '-w', 'whitelist.txt'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    const spawnError = new Promise<boolean>((res) => child.once('error', () => res(false)));
    if (await Promise.race([tcpUp(port, 3000), spawnError])) {
      return { port, child, dir, stop: () => { child.kill('SIGTERM'); rmSync(dir, { recursive: true, force: true }); } };
    }
    child.kill('SIGTERM');
    t.log(`opentracker did not come up on ${port}: ${stderr.trim()}`);
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error('opentracker did not start (is it installed? `apt-get install opentracker`)');
}

const req = (n: number, port: number, infoHash = OK_HASH): AnnounceRequest => ({
  infoHash, peerId: new TextEncoder().encode(`-BL0100-${String(n).padStart(12, '0')}`), port,
  uploaded: 0, downloaded: 0, left: 1000, event: 'started', key: 1000 + n, numwant: 50,
});

test('interop: opentracker over UDP and HTTP — our client announces, a second announce sees the first peer', async (t) => {
  const ot = await startOpentracker(t);
  const udp = createNodeUdpNet();
  const http = createNodeHttpNet();
  let sockClose = () => {};
  try {
    const client = await new Promise<UdpTrackerClient>((resolve, reject) => {
      let c!: UdpTrackerClient;
      udp.bind({ port: 0, host: '127.0.0.1' }, (d, from) => c.handleDatagram(d, from), (e, s) => {
        if (e) return reject(e);
        sockClose = () => s!.close();
        c = new UdpTrackerClient({ clock: realClock, timers: realTimers, random: realRandom(), send: (d, to) => s!.send(d, to) }, { baseTimeoutMs: 300, maxRetransmits: 2 });
        resolve(c);
      });
    });
    const tracker: Address = { host: '127.0.0.1', port: ot.port };
    const url = `http://127.0.0.1:${ot.port}/announce`;
    const viaUdp = (r: AnnounceRequest) => new Promise<AnnounceResult>((res, rej) => client.announce(tracker, r, (e, x) => (e ? rej(e) : res(x!))));
    const viaHttp = (r: AnnounceRequest) => new Promise<AnnounceResult>((res, rej) => httpAnnounce(http, url, r, { timeoutMs: 3000 }, (e, x) => (e ? rej(e) : res(x!))));

    const a = await viaUdp(req(1, 31001));
    t.true(a.interval > 0, 'BEP15-ANN-3: interval present');
    const b = await viaHttp(req(2, 31002));
    t.true(b.peers.some((p) => p.host === '127.0.0.1' && p.port === 31001), `HTTP sees the UDP peer: ${JSON.stringify(b.peers)}`);
    t.true(b.interval > 0);
    const c = await viaUdp({ ...req(3, 31003) });
    t.true(c.peers.some((p) => p.port === 31001) && c.peers.some((p) => p.port === 31002), `UDP sees both: ${JSON.stringify(c.peers)}`);
    t.true((c.incomplete ?? 0) >= 2);

    const scrape = await new Promise<Map<string, { incomplete: number }>>((res, rej) => httpScrape(http, url, [OK_HASH], {}, (e, x) => (e ? rej(e) : res(x!))));
    t.true((scrape.get(toHex(OK_HASH))?.incomplete ?? 0) >= 3);
    const udpScrape = await new Promise<Map<string, { incomplete: number }>>((res, rej) => client.scrape(tracker, [OK_HASH], (e, x) => (e ? rej(e) : res(x!))));
    t.true((udpScrape.get(toHex(OK_HASH))?.incomplete ?? 0) >= 3);

    // A hash not on the allow-list: HTTP failure reason (BEP3-TRK-5) ...
    const httpErr = await viaHttp(req(4, 31004, BAD_HASH)).then(() => null, (e: Error) => e);
    t.true(httpErr instanceof TrackerError);
    t.regex(httpErr!.message, /not authorized/);
    // ... and over UDP an 8-byte announce reply, which BEP15-ANN-4 says to ignore: we time out naming it.
    const udpErr = await viaUdp(req(5, 31005, BAD_HASH)).then(() => null, (e: Error) => e);
    t.true(udpErr instanceof TrackerError);
    t.regex(udpErr!.message, /announce reply too short: 8 < 20/);

    // Leave nothing behind.
    for (const [n, port] of [[1, 31001], [2, 31002], [3, 31003]] as const) await viaUdp({ ...req(n, port), event: 'stopped', numwant: 0 });
  } finally {
    sockClose();
    ot.stop();
  }
});
