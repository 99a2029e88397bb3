import test from 'ava';
import * as net from 'node:net';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createNodePeerNet, NodePeerLink } from './peer-net.js';
import type { CloseInfo, Listener, PeerLink, PeerLinkEvents, PeerNet } from '../../core/seam/net.js';
import type { Handshake, PeerMessage } from '../../core/wire/types.js';
import { encodeHandshake, makeReserved } from '../../core/wire/handshake.js';
import { encodeMessage } from '../../core/wire/encode.js';
import { toHex, writeU32 } from '../../core/util/bytes.js';
import { ProtocolError } from '../../core/util/errors.js';

// Every test here talks over 127.0.0.1 only, with a handful of sockets, and ends by closing
// what it opened. The ava timeout bounds any hang.

const hsA: Handshake = { reserved: makeReserved({ fast: true, extension: true }), infoHash: new Uint8Array(20).fill(0xaa), peerId: new Uint8Array(20).fill(1) };
const hsB: Handshake = { reserved: makeReserved({ dht: true }), infoHash: new Uint8Array(20).fill(0xaa), peerId: new Uint8Array(20).fill(2) };

/** Compare messages by content; Buffer and Uint8Array views are both just bytes here. */
const canon = (x: unknown): string => JSON.stringify(x, function (this: Record<string, unknown>, k, v) {
  const orig = this[k];
  return orig instanceof Uint8Array ? `#${toHex(orig)}` : v;
});

/** Records a link's events and resolves promises on them. */
class Recorder implements PeerLinkEvents {
  handshake?: Handshake;
  messages: PeerMessage[] = [];
  drains = 0;
  closes: CloseInfo[] = [];
  private waiters: (() => void)[] = [];
  /** Runs inside onHandshake, before anything else is decoded (to call setLimits, or to throw). */
  constructor(private readonly onHs?: (h: Handshake) => void) {}
  onHandshake(h: Handshake) { this.handshake = h; this.onHs?.(h); this.poke(); }
  onMessage(m: PeerMessage) { this.messages.push(m); this.poke(); }
  onDrain() { this.drains++; this.poke(); }
  onClose(info: CloseInfo) { this.closes.push(info); this.poke(); }
  until(cond: () => boolean): Promise<void> {
    if (cond()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => { if (cond()) resolve(); else this.waiters.push(check); };
      this.waiters.push(check);
    });
  }
  private poke() { const w = this.waiters; this.waiters = []; for (const f of w) f(); }
}

function listen(pn: PeerNet, onLink: (l: PeerLink) => void): Promise<Listener> {
  return new Promise((resolve, reject) => pn.listen(0, onLink, (err, l) => (err ? reject(err) : resolve(l!))));
}

const ALL: PeerMessage[] = [
  { type: 'keepalive' }, { type: 'choke' }, { type: 'unchoke' }, { type: 'interested' }, { type: 'not_interested' },
  { type: 'have', index: 3 }, { type: 'bitfield', bits: new Uint8Array([0xf0, 0x80]) },
  { type: 'request', index: 1, begin: 16384, length: 16384 },
  { type: 'piece', index: 1, begin: 16384, block: new Uint8Array(16384).map((_, i) => i & 255) },
  { type: 'cancel', index: 1, begin: 0, length: 16384 }, { type: 'port', port: 6881 }, { type: 'suggest', index: 2 },
  { type: 'have_all' }, { type: 'have_none' }, { type: 'reject', index: 1, begin: 0, length: 16384 },
  { type: 'allowed_fast', index: 4 }, { type: 'extended', id: 0, payload: new Uint8Array([0x64, 0x65]) },
  { type: 'unknown', id: 99, payload: new Uint8Array([1, 2]) },
];

const pn = createNodePeerNet({ listenHost: '127.0.0.1', connectTimeoutMs: 5000 });

test('BEP3-HS-1/BEP3-MSG-3: two links exchange handshakes and every message type, in order, both ways', async (t) => {
  const server = new Recorder();
  let serverLink!: PeerLink;
  const l = await listen(pn, (link) => {
    serverLink = link;
    link.attach(server);
    link.sendHandshake(hsB);
    for (const m of [...ALL].reverse()) link.send(m);
  });
  const client = new Recorder();
  const c = pn.connect({ host: '127.0.0.1', port: l.port });
  t.true(c.outgoing);
  c.attach(client);
  // Sent before the transport connects: node:net queues, and the handshake still goes first.
  c.sendHandshake(hsA);
  for (const m of ALL) c.send(m);
  await server.until(() => server.messages.length === ALL.length);
  await client.until(() => client.messages.length === ALL.length);
  t.is(canon(server.handshake), canon(hsA));
  t.is(canon(client.handshake), canon(hsB));
  t.is(canon(server.messages), canon(ALL));
  t.is(canon(client.messages), canon([...ALL].reverse()));
  t.false(serverLink.outgoing);
  t.is(serverLink.remote.host, '127.0.0.1');

  c.close('done');
  await server.until(() => server.closes.length === 1);
  t.deepEqual(client.closes, [{ reason: 'done', local: true }]);
  t.is(server.closes[0].local, false);
  t.is(server.closes[0].reason, 'closed by peer');
  c.close('again'); // idempotent
  t.is(client.closes.length, 1);
  l.close();
});

test('BEP3-HS-1: messages sent before sendHandshake are held and leave after it', async (t) => {
  const server = new Recorder();
  const l = await listen(pn, (link) => link.attach(server));
  const c = pn.connect({ host: '127.0.0.1', port: l.port });
  c.attach(new Recorder());
  c.send({ type: 'interested' });
  t.is(c.queuedBytes(), 5);
  c.sendHandshake(hsA);
  await server.until(() => server.messages.length === 1);
  t.is(canon(server.handshake), canon(hsA));
  t.deepEqual(server.messages, [{ type: 'interested' }]);
  c.close('done');
  l.close();
});

test('BEP3-MSG-2: a peer that sends a 2^31 length prefix is closed with the length named, nothing allocated', async (t) => {
  const server = new Recorder();
  let link!: NodePeerLink;
  const l = await listen(pn, (k) => { link = k as NodePeerLink; k.attach(server); });
  const raw = net.connect({ host: '127.0.0.1', port: l.port });
  raw.on('error', () => {});
  await once(raw, 'connect');
  const prefix = new Uint8Array(5);
  writeU32(prefix, 0, 2 ** 31);
  prefix[4] = 7;
  raw.write(encodeHandshake(hsA));
  raw.write(prefix);
  raw.write(new Uint8Array(1000)); // the start of the "payload"
  await server.until(() => server.closes.length === 1);
  t.truthy(server.handshake);
  t.regex(server.closes[0].reason, /2147483648/);
  t.true(server.closes[0].error instanceof ProtocolError);
  t.true(server.closes[0].local);
  t.is(link.bufferedBytes(), 0);
  await once(raw, 'close'); // and the socket really is closed
  l.close();
});

test('BEP3-MSG-7: setLimits tightens the bitfield cap to the torrent; a longer one closes the link', async (t) => {
  let link!: PeerLink;
  const server = new Recorder(() => link.setLimits!({ pieceCount: 8 }));
  const l = await listen(pn, (k) => { link = k; k.attach(server); });
  const raw = net.connect({ host: '127.0.0.1', port: l.port });
  raw.on('error', () => {});
  // Handshake and bitfield in ONE write: the limit must apply to the message right behind it.
  raw.write(Buffer.concat([encodeHandshake(hsA), encodeMessage({ type: 'bitfield', bits: new Uint8Array(2) })]));
  await server.until(() => server.closes.length === 1);
  t.regex(server.closes[0].reason, /bitfield message length 3 exceeds the cap 2/);
  t.is(server.messages.length, 0);
  raw.destroy();
  l.close();
});

test('events that arrive before attach are queued and delivered in order, close last', async (t) => {
  let link!: NodePeerLink;
  let rawClosed!: Promise<unknown>;
  const got = new Promise<void>((resolve) => {
    void listen(pn, (k) => { link = k as NodePeerLink; resolve(); }).then((l) => {
      const raw = net.connect({ host: '127.0.0.1', port: l.port });
      raw.on('error', () => {});
      raw.end(Buffer.concat([encodeHandshake(hsA), encodeMessage({ type: 'interested' }), encodeMessage({ type: 'have', index: 1 })]));
      rawClosed = once(raw, 'close').then(() => l.close());
    });
  });
  await got;
  // Let the bytes and the FIN arrive before anyone attaches.
  await rawClosed;
  while (!link.isClosed) await new Promise((r) => setTimeout(r, 5));
  const rec = new Recorder();
  link.attach(rec);
  t.is(canon(rec.handshake), canon(hsA));
  t.deepEqual(rec.messages, [{ type: 'interested' }, { type: 'have', index: 1 }]);
  t.deepEqual(rec.closes.map((c) => c.reason), ['closed by peer']);
});

test('handOver: after the handshake, later messages and the close go to the new owner only', async (t) => {
  const owner = new Recorder();
  let link!: PeerLink;
  // The first owner hands the link over inside onHandshake, as the client does when it routes
  // an incoming link to a torrent; the message in the SAME read must already go to the new one.
  const first = new Recorder(() => link.handOver(owner));
  const l = await listen(pn, (k) => { link = k; k.attach(first); });
  const raw = net.connect({ host: '127.0.0.1', port: l.port });
  raw.on('error', () => {});
  raw.end(Buffer.concat([encodeHandshake(hsA), encodeMessage({ type: 'interested' })]));
  await owner.until(() => owner.closes.length === 1);
  t.is(canon(first.handshake), canon(hsA));
  t.deepEqual(first.messages, []);
  t.deepEqual(first.closes, []);
  t.deepEqual(owner.messages, [{ type: 'interested' }]);
  l.close();
});

test('connection refused arrives as onClose', async (t) => {
  const l = await listen(pn, () => {});
  const port = l.port;
  l.close();
  await new Promise((r) => setTimeout(r, 20));
  const rec = new Recorder();
  const c = pn.connect({ host: '127.0.0.1', port });
  c.attach(rec);
  c.sendHandshake(hsA);
  await rec.until(() => rec.closes.length === 1);
  t.is(rec.closes[0].reason, 'connect refused');
  t.false(rec.closes[0].local);
  t.is((rec.closes[0].error as NodeJS.ErrnoException).code, 'ECONNREFUSED');
  t.is(rec.handshake, undefined);
});

test('a dial that node:net refuses synchronously (bad port) still arrives as onClose', (t) => {
  const rec = new Recorder();
  const c = pn.connect({ host: '127.0.0.1', port: 70000 });
  c.attach(rec);
  t.is(rec.closes.length, 1);
  t.regex(rec.closes[0].reason, /^connect failed: /);
  c.send({ type: 'choke' }); // ignored after close, no throw
  t.is(rec.closes.length, 1);
});

test('connect timeout arrives as onClose (listener whose accept queue is full drops our SYN)', async (t) => {
  // A Python listener with backlog 0 that never accepts: Linux queues one connection and then
  // drops further SYNs, so our dial hangs in SYN_SENT until the timeout.
  const py = spawn('/usr/bin/python3', ['-c', [
    'import socket,time,sys',
    's=socket.socket();s.bind(("127.0.0.1",0));s.listen(0)',
    'print(s.getsockname()[1],flush=True)',
    'sys.stdin.read()',
  ].join('\n')], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const [line] = await once(py.stdout!, 'data');
    const port = Number(String(line).trim());
    const fillers = [0, 1].map(() => net.connect({ host: '127.0.0.1', port }).on('error', () => {}));
    await once(fillers[0], 'connect');
    const quick = createNodePeerNet({ connectTimeoutMs: 300 });
    const rec = new Recorder();
    quick.connect({ host: '127.0.0.1', port }).attach(rec);
    await rec.until(() => rec.closes.length === 1);
    t.is(rec.closes[0].reason, 'connect timeout');
    for (const f of fillers) f.destroy();
  } finally {
    py.kill();
  }
});

test('backpressure: queuedBytes grows while the peer does not read, onDrain fires once it does', async (t) => {
  const lowWater = 256 * 1024;
  const bp = createNodePeerNet({ listenHost: '127.0.0.1', lowWater });
  const server = new Recorder();
  let link!: PeerLink;
  const connected = new Promise<void>((resolve) => {
    void listen(bp, (k) => { link = k; k.attach(server); k.sendHandshake(hsB); resolve(); }).then((l) => { listener = l; });
  });
  let listener!: Listener;
  await new Promise((r) => setTimeout(r, 10));
  const raw = net.connect({ host: '127.0.0.1', port: listener.port });
  raw.on('error', () => {});
  raw.pause(); // a peer that does not read
  await connected;
  const block = new Uint8Array(16384);
  // 32 MiB: more than the kernel's loopback socket buffers can absorb.
  for (let i = 0; i < 2048; i++) link.send({ type: 'piece', index: i, begin: 0, block });
  t.true(link.queuedBytes() > lowWater, `queued ${link.queuedBytes()}`);
  await new Promise((r) => setTimeout(r, 50));
  t.true(link.queuedBytes() > lowWater, 'still queued while the peer does not read');
  t.is(server.drains, 0);
  let received = 0;
  raw.on('data', (c: Buffer) => { received += c.length; });
  raw.resume();
  await server.until(() => server.drains > 0);
  t.true(link.queuedBytes() < lowWater);
  t.is(server.drains, 1);
  link.close('done');
  raw.destroy();
  listener.close();
  t.true(received > 0);
});

test('a handler that throws closes the link instead of crashing the process', async (t) => {
  const server = new Recorder(() => { throw new Error('boom'); });
  const l = await listen(pn, (k) => k.attach(server));
  const c = pn.connect({ host: '127.0.0.1', port: l.port });
  c.attach(new Recorder());
  c.sendHandshake(hsA);
  await server.until(() => server.closes.length === 1);
  t.is(server.closes[0].reason, 'internal error: boom');
  c.close('done');
  l.close();
});

test('a non-BitTorrent peer is closed at its first wrong byte (BEP3-HS-1)', async (t) => {
  const server = new Recorder();
  const l = await listen(pn, (k) => k.attach(server));
  const raw = net.connect({ host: '127.0.0.1', port: l.port });
  raw.on('error', () => {});
  raw.write('GET / HTTP/1.1\r\n\r\n');
  await server.until(() => server.closes.length === 1);
  t.regex(server.closes[0].reason, /pstrlen is 71/);
  raw.destroy();
  l.close();
});
