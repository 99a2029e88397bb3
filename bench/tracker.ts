/**
 * UDP tracker load: `node dist/bench/tracker.js [--seconds 10] [--window 64] [--sockets 4]
 * [--torrents 200] [--peers 5000] [--numwant 50] [--only bt-lab|opentracker] [--server-node-flags "…"]`.
 *
 * Sustained BEP 15 announces per second on 127.0.0.1 against bt-lab's tracker
 * (`bt-lab tracker --udp`, its own process) and opentracker (allow-list = the bench's
 * hashes) in the same run, with the same load: `sockets` client sockets, each keeping
 * `window` announces in flight (closed loop), peers spread over `torrents` torrents and
 * `peers` distinct (port, peer id) pairs so swarms fill up and replies carry real peer lists.
 * Reports announces/s, reply latency p50/p99 (send → reply, includes the load generator's own
 * scheduling: both trackers see the same generator), lost replies, and the server's RSS
 * (VmRSS at the end, VmHWM = peak). Bounded: each target runs `seconds`, under `timeout`.
 * The generator shares the 2 cores with the server: these are loopback figures, not capacity.
 */
import dgram from 'node:dgram';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { encodeAnnounceRequest, encodeConnectRequest, peekReplyHeader } from '../core/tracker/udp-codec.js';
import { toHex } from '../core/util/bytes.js';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const SECONDS = Number(arg('seconds', '10'));
const WINDOW = Number(arg('window', '64'));
const SOCKETS = Number(arg('sockets', '4'));
const TORRENTS = Number(arg('torrents', '200'));
const PEERS = Number(arg('peers', '5000'));
const NUMWANT = Number(arg('numwant', '50'));
const ONLY = arg('only', '');
/** Extra node flags for bt-lab's server process, e.g. `--server-node-flags "--cpu-prof --cpu-prof-dir=/tmp/p"`. */
const SERVER_NODE_FLAGS = arg('server-node-flags', '').split(' ').filter(Boolean);
const LOST_MS = 1000;

const hashes = Array.from({ length: TORRENTS }, () => new Uint8Array(randomBytes(20)));
const peerIds = Array.from({ length: PEERS }, (_, i) => new TextEncoder().encode(`-BL0100-${String(i).padStart(12, '0')}`));

interface Result { target: string; announces: number; perSecond: number; p50: number; p99: number; lost: number; rssMiB: number; hwmMiB: number; replyBytes: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rss(pid: number): { rss: number; hwm: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
  } catch { return { rss: NaN, hwm: NaN }; }
}

/** The real server process under `timeout`: its first child. */
function childOf(pid: number): number {
  try { return Number(readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/)[0]) || pid; } catch { return pid; }
}

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const p = s.address().port;
  s.close();
  return p;
}

/** Wait until the tracker answers a connect. */
async function udpReady(port: number, ms = 5000): Promise<boolean> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  try {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const got = new Promise<boolean>((r) => { s.once('message', () => r(true)); setTimeout(() => r(false), 200); });
      s.send(encodeConnectRequest(1), port, '127.0.0.1');
      if (await got) return true;
    }
    return false;
  } finally { s.close(); }
}

async function load(target: string, port: number, serverPid: number): Promise<Result> {
  const lat: number[] = [];
  let announces = 0, lost = 0, replyBytes = 0;
  let measuring = false;
  const socks: Array<{ s: dgram.Socket; cid: Uint8Array; cidAt: number; inflight: Map<number, bigint>; next: number }> = [];
  let peerCursor = 0;
  for (let i = 0; i < SOCKETS; i++) {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    try { s.setRecvBufferSize(4 << 20); s.setSendBufferSize(4 << 20); } catch { /* best effort */ }
    socks.push({ s, cid: new Uint8Array(8), cidAt: -1, inflight: new Map(), next: 0 });
  }
  const connect = (k: (typeof socks)[number]) => new Promise<void>((resolve, reject) => {
    const tx = 0x7fffffff;
    const t = setTimeout(() => reject(new Error(`${target}: no connect reply`)), 3000);
    const on = (m: Buffer) => {
      const h = peekReplyHeader(m);
      if (h && h.action === 0 && h.txid === tx && m.length >= 16) {
        k.cid = new Uint8Array(m.subarray(8, 16)); k.cidAt = Date.now();
        clearTimeout(t); k.s.off('message', on); resolve();
      }
    };
    k.s.on('message', on);
    k.s.send(encodeConnectRequest(tx), port, '127.0.0.1');
  });
  for (const k of socks) await connect(k);

  const send = (k: (typeof socks)[number]) => {
    const txid = (k.next = (k.next + 1) & 0x3fffffff);
    const p = peerCursor = (peerCursor + 1) % PEERS;
    const pkt = encodeAnnounceRequest({
      connectionId: k.cid, txid, infoHash: hashes[p % TORRENTS], peerId: peerIds[p],
      downloaded: 0, left: p % 5 === 0 ? 0 : 1000, uploaded: 0, event: 0, ip: 0, key: p, numWant: NUMWANT, port: 10000 + p,
    });
    k.inflight.set(txid, process.hrtime.bigint());
    k.s.send(pkt, port, '127.0.0.1');
  };
  for (const k of socks) {
    k.s.on('message', (m: Buffer) => {
      const h = peekReplyHeader(m);
      if (!h || h.action !== 1) return;
      const t0 = k.inflight.get(h.txid);
      if (t0 === undefined) return;
      k.inflight.delete(h.txid);
      if (measuring) { announces++; replyBytes += m.length; lat.push(Number(process.hrtime.bigint() - t0) / 1e6); }
      send(k);
    });
  }
  // Reap lost requests (kernel drops under load) so the window stays full.
  const reaper = setInterval(() => {
    const now = process.hrtime.bigint();
    for (const k of socks) {
      for (const [tx, t0] of k.inflight) {
        if (Number(now - t0) / 1e6 > LOST_MS) { k.inflight.delete(tx); if (measuring) lost++; send(k); }
      }
    }
  }, 200);
  for (const k of socks) for (let i = 0; i < WINDOW; i++) send(k);
  await sleep(1000); // warm-up: swarms fill, JIT settles
  measuring = true;
  const t0 = Date.now();
  // Connection ids are good for ≥ 2 min at both trackers; SECONDS is well under that.
  await sleep(SECONDS * 1000);
  measuring = false;
  const dt = (Date.now() - t0) / 1000;
  const mem = rss(serverPid);
  clearInterval(reaper);
  for (const k of socks) k.s.close();
  lat.sort((a, b) => a - b);
  const q = (f: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(f * lat.length))] : NaN);
  return { target, announces, perSecond: announces / dt, p50: q(0.5), p99: q(0.99), lost, rssMiB: mem.rss, hwmMiB: mem.hwm, replyBytes: announces ? replyBytes / announces : 0 };
}

async function runTarget(name: string, start: (port: number) => ChildProcess, cleanup = () => {}): Promise<Result> {
  const port = await freeUdpPort();
  const child = start(port);
  try {
    if (!(await udpReady(port))) throw new Error(`${name} did not answer on udp ${port}`);
    return await load(name, port, childOf(child.pid!));
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => { if (child.exitCode !== null) r(null); else child.once('exit', r); setTimeout(r, 2000); });
    cleanup();
  }
}

const results: Result[] = [];
const bound = String(SECONDS + 20);
if (ONLY !== 'opentracker') {
  results.push(await runTarget('bt-lab', (port) => spawn('timeout', ['--foreground', bound, process.execPath, ...SERVER_NODE_FLAGS, join(process.cwd(), 'dist/cli/main.js'), 'tracker',
    '--udp', String(port), '--host', '127.0.0.1', '--stats-every', '0'], { stdio: 'ignore' })));
}
if (ONLY !== 'bt-lab') {
  const dir = mkdtempSync(join(tmpdir(), 'bt-lab-bench-ot-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'whitelist.txt'), hashes.map(toHex).join('\n') + '\n');
  chmodSync(join(dir, 'whitelist.txt'), 0o644);
  results.push(await runTarget('opentracker', (port) => spawn('timeout', ['--foreground', bound, 'opentracker', '-i', '127.0.0.1', '-p', String(port), '-P', String(port), '-d', dir, '-w', 'whitelist.txt'], { stdio: 'ignore' }),
    () => rmSync(dir, { recursive: true, force: true })));
}

console.log(`UDP announces on 127.0.0.1: ${SECONDS} s per target, ${SOCKETS} sockets × ${WINDOW} in flight, ${TORRENTS} torrents, ${PEERS} peers, numwant ${NUMWANT}`);
console.log('target        announces/s   p50 ms   p99 ms   lost   reply B   RSS MiB (peak)');
for (const r of results) {
  console.log(`${r.target.padEnd(12)} ${r.perSecond.toFixed(0).padStart(12)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.lost).padStart(6)} ${r.replyBytes.toFixed(0).padStart(9)}   ${r.rssMiB.toFixed(1)} (${r.hwmMiB.toFixed(1)})`);
}
console.log(JSON.stringify({ bench: 'tracker-udp', seconds: SECONDS, sockets: SOCKETS, window: WINDOW, torrents: TORRENTS, peers: PEERS, numwant: NUMWANT, results }));
