/**
 * BEP 5 DHT, node side, over raw KRPC datagrams: the envelope (BEP5-KRPC-*), the four queries
 * (BEP5-Q-*), tokens (BEP5-TOK-*), compact encodings (BEP5-ENC-*) and the error codes 203/204
 * (BEP5-KRPC-8). One socket per case, a handful of packets each.
 */
import fc from 'fast-check';
import { decode } from '../../core/bencode/decode.js';
import { encode, type Encodable } from '../../core/bencode/encode.js';
import { isBytes, isDict, isList, type BDict, type BValue } from '../../core/bencode/types.js';
import { bytesEqual, fromUtf8, toHex } from '../../core/util/bytes.js';
import type { DatagramChannel } from '../channels/datagram.js';
import { checkProperty } from '../property.js';
import type { CaseContext, ConformanceCase } from '../types.js';
import type { DhtTarget } from '../targets/types.js';
import { cannotJudge, expect, fail, info, pass, showBytes } from '../verdicts.js';

type C = ConformanceCase<DhtTarget>;

async function withChannel<X>(t: DhtTarget, f: (ch: DatagramChannel) => Promise<X>): Promise<X> {
  const ch = await t.open();
  try { return await f(ch); } finally { ch.close(); }
}

interface Reply { raw: Uint8Array; d: BDict }

/** Send one query; return the first reply (y r or e) with our transaction id. */
async function query(ch: DatagramChannel, ctx: CaseContext, q: string, a: Encodable | undefined, t: Uint8Array = ctx.rng.bytes(2)): Promise<Reply | null> {
  const msg: Record<string, Encodable> = { t, y: 'q', q };
  if (a !== undefined) msg.a = a;
  ch.send(encode(msg));
  return awaitReply(ch, ctx, t);
}

async function awaitReply(ch: DatagramChannel, ctx: CaseContext, t: Uint8Array): Promise<Reply | null> {
  const end = Date.now() + ctx.replyTimeoutMs;
  for (;;) {
    const left = end - Date.now();
    if (left <= 0) return null;
    const raw = await ch.recv(left);
    if (!raw) return null;
    let d: BValue;
    try { d = decode(raw, { strict: false }); } catch { ctx.note(`undecodable datagram ${showBytes(raw)}`); continue; }
    if (!isDict(d)) continue;
    // The node may query us (a ping to verify us): not the reply we wait for.
    if (isBytes(d.y) && fromUtf8(d.y) === 'q') continue;
    if (isBytes(d.t) && bytesEqual(d.t, t)) return { raw, d };
    ctx.note(`reply with another transaction id: ${showBytes(raw)}`);
  }
}

const yOf = (r: Reply): string => (isBytes(r.d.y) ? fromUtf8(r.d.y) : '?');

function requireResponse(r: Reply | null, what: string): BDict {
  expect(r, `no reply to ${what}`);
  if (yOf(r) === 'e') fail(`${what} answered with an error: ${showBytes(r.raw)}`);
  expect(yOf(r) === 'r', `${what}: y is ${JSON.stringify(yOf(r))}, not "r"`);
  expect(isDict(r.d.r), `${what}: no "r" dictionary`);
  const body = r.d.r as BDict;
  expect(isBytes(body.id) && body.id.length === 20, `${what}: r.id is not 20 bytes (BEP5-Q-1)`);
  return body;
}

function errorOf(r: Reply): { code: number; message: string } | null {
  if (yOf(r) !== 'e') return null;
  const e = r.d.e;
  expect(isList(e) && e.length >= 2 && typeof e[0] === 'number' && isBytes(e[1]), `error "e" is not [code, message]: ${showBytes(r.raw)} (BEP5-KRPC-7)`);
  return { code: e[0] as number, message: fromUtf8(e[1] as Uint8Array) };
}

const nodeId = (ctx: CaseContext): Uint8Array => ctx.rng.bytes(20);

/** get_peers from `ch` and the values it returns as host:port strings. */
async function getPeers(ch: DatagramChannel, ctx: CaseContext, id: Uint8Array, hash: Uint8Array): Promise<{ token?: Uint8Array; values: string[]; body: BDict }> {
  const body = requireResponse(await query(ch, ctx, 'get_peers', { id, info_hash: hash }), 'get_peers');
  const values: string[] = [];
  if (isList(body.values)) for (const v of body.values) if (isBytes(v) && v.length === 6) values.push(`${v[0]}.${v[1]}.${v[2]}.${v[3]}:${(v[4] << 8) | v[5]}`);
  return { token: isBytes(body.token) ? body.token : undefined, values, body };
}

export const dhtCases: C[] = [
  {
    id: 'BEP5-Q-2:ping', clause: 'BEP5-Q-2', level: 'desc', suite: 'dht', style: 'exchange',
    title: 'ping {id} → r {id}, transaction id echoed, y = "r"',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const body = requireResponse(await query(ch, ctx, 'ping', { id: nodeId(ctx) }), 'ping');
        return pass(`node id ${toHex(body.id as Uint8Array)}`);
      });
    },
  },
  {
    id: 'BEP5-KRPC-2:tid-echo', clause: 'BEP5-KRPC-2', level: 'desc', suite: 'dht', style: 'property',
    title: 'any transaction id (1–8 bytes) is echoed in the reply',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const id = nodeId(ctx);
        await checkProperty(ctx, fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 8 }), async (tid) => {
          const r = await query(ch, ctx, 'ping', { id }, tid);
          if (!r) throw new Error(`no reply for t=0x${toHex(tid)}`);
          return yOf(r) === 'r';
        }), { numRuns: 10, what: 'ping reply echoes t' });
        return pass();
      });
    },
  },
  {
    id: 'BEP5-KRPC-4:no-version', clause: 'BEP5-KRPC-4', level: 'should', suite: 'dht', style: 'exchange',
    title: 'a query without `v` is answered; the node\'s own `v` (4 bytes) is reported',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const r = await query(ch, ctx, 'ping', { id: nodeId(ctx) });
        requireResponse(r, 'ping without v');
        const v = r!.d.v;
        if (v === undefined) return info('answered; the node sends no `v`');
        expect(isBytes(v) && v.length === 4, `v is ${showBytes(v as Uint8Array)}, not 4 bytes`);
        return pass(`v = ${showBytes(v)}`);
      });
    },
  },
  {
    id: 'BEP5-Q-3:find_node', clause: 'BEP5-Q-3', level: 'should', suite: 'dht', style: 'exchange',
    title: 'find_node {id, target} → r {id, nodes}',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const body = requireResponse(await query(ch, ctx, 'find_node', { id: nodeId(ctx), target: ctx.rng.bytes(20) }), 'find_node');
        expect(isBytes(body.nodes), '`nodes` is missing or not a string');
        return pass(`${body.nodes.length / 26} node(s)`);
      });
    },
  },
  {
    id: 'BEP5-ENC-2:nodes-26', clause: 'BEP5-ENC-2', level: 'desc', suite: 'dht', style: 'exchange',
    title: '`nodes` is compact node info, 26 bytes per node',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const body = requireResponse(await query(ch, ctx, 'find_node', { id: nodeId(ctx), target: ctx.rng.bytes(20) }), 'find_node');
        if (!isBytes(body.nodes)) return cannotJudge('no `nodes` string');
        expect(body.nodes.length % 26 === 0, `nodes is ${body.nodes.length} bytes: not a multiple of 26`);
        return pass();
      });
    },
  },
  {
    id: 'BEP5-Q-4:get_peers', clause: 'BEP5-Q-4', level: 'desc', suite: 'dht', style: 'exchange',
    title: 'get_peers → r {id, token, values | nodes}; the token is always present',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const g = await getPeers(ch, ctx, nodeId(ctx), ctx.rng.bytes(20));
        expect(g.token, '`token` is missing');
        expect(isList(g.body.values) || isBytes(g.body.nodes), 'neither `values` nor `nodes`');
        return pass(`token ${g.token.length} bytes; ${isList(g.body.values) ? 'values' : 'nodes'}`);
      });
    },
  },
  {
    id: 'BEP5-TOK-1:short', clause: 'BEP5-TOK-1', level: 'should', suite: 'dht', style: 'exchange',
    title: 'tokens are short opaque strings (≤ 32 bytes)',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const g = await getPeers(ch, ctx, nodeId(ctx), ctx.rng.bytes(20));
        if (!g.token) return cannotJudge('no token');
        expect(g.token.length <= 32, `token is ${g.token.length} bytes`);
        return pass(`${g.token.length} bytes`);
      });
    },
  },
  {
    id: 'BEP5-Q-6:store', clause: 'BEP5-Q-6', level: 'must', suite: 'dht', style: 'exchange',
    title: 'announce_peer with the token we got → r {id}; a later get_peers returns our address',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const id = nodeId(ctx), hash = ctx.rng.bytes(20);
        const g = await getPeers(ch, ctx, id, hash);
        if (!g.token) return cannotJudge('get_peers gave no token');
        const port = 10000 + ctx.rng.int(50000);
        requireResponse(await query(ch, ctx, 'announce_peer', { id, info_hash: hash, port, token: g.token }), 'announce_peer with a valid token (BEP5-Q-5)');
        const again = await getPeers(ch, ctx, ctx.rng.bytes(20), hash);
        const me = `${ch.local.host}:${port}`;
        ctx.note(`values after announce: ${again.values.join(' ') || '(none)'}`);
        expect(again.values.includes(me), `our announce (${me}) is not returned by get_peers`);
        return pass();
      });
    },
  },
  {
    id: 'BEP5-Q-7:implied-port', clause: 'BEP5-Q-7', level: 'should', suite: 'dht', style: 'exchange',
    title: 'implied_port = 1 stores our UDP source port, not `port`',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const id = nodeId(ctx), hash = ctx.rng.bytes(20);
        const g = await getPeers(ch, ctx, id, hash);
        if (!g.token) return cannotJudge('get_peers gave no token');
        requireResponse(await query(ch, ctx, 'announce_peer', { id, info_hash: hash, port: 1, implied_port: 1, token: g.token }), 'announce_peer with implied_port');
        const again = await getPeers(ch, ctx, ctx.rng.bytes(20), hash);
        ctx.note(`values: ${again.values.join(' ') || '(none)'}`);
        expect(again.values.includes(`${ch.local.host}:${ch.local.port}`), `stored ${again.values.join(' ') || 'nothing'}, expected our source port ${ch.local.port}`);
        return pass();
      });
    },
  },
  {
    id: 'BEP5-Q-6:bad-token', clause: 'BEP5-Q-6', level: 'must', suite: 'dht', style: 'exchange',
    title: 'announce_peer with a token never issued is refused and not stored',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const id = nodeId(ctx), hash = ctx.rng.bytes(20);
        const r = await query(ch, ctx, 'announce_peer', { id, info_hash: hash, port: 6881, token: ctx.rng.bytes(8) });
        if (r && yOf(r) === 'r') fail('a forged token was accepted (reply "r")');
        const g = await getPeers(ch, ctx, ctx.rng.bytes(20), hash);
        expect(!g.values.includes(`${ch.local.host}:6881`), 'the announce with a forged token was stored');
        const e = r ? errorOf(r) : null;
        return pass(e ? `error ${e.code} ${JSON.stringify(e.message)}` : 'no reply');
      });
    },
  },
  {
    id: 'BEP5-KRPC-8:203-bad-token', clause: 'BEP5-KRPC-8', level: 'desc', interop: false, suite: 'dht', style: 'exchange',
    title: 'a bad token is answered with error 203 (protocol error)',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const r = await query(ch, ctx, 'announce_peer', { id: nodeId(ctx), info_hash: ctx.rng.bytes(20), port: 6881, token: ctx.rng.bytes(8) });
        expect(r, 'no reply to announce_peer with a forged token');
        const e = errorOf(r);
        expect(e, `not an error reply: ${showBytes(r.raw)}`);
        expect(e.code === 203, `error code ${e.code} (${JSON.stringify(e.message)}), expected 203`);
        return pass(JSON.stringify(e.message));
      });
    },
  },
  {
    id: 'BEP5-KRPC-8:204-unknown-method', clause: 'BEP5-KRPC-8', level: 'desc', interop: false, suite: 'dht', style: 'exchange',
    title: 'an unknown method is answered with error 204',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const r = await query(ch, ctx, 'frobnicate', { id: nodeId(ctx) });
        expect(r, 'no reply to an unknown method');
        const e = errorOf(r);
        expect(e, `not an error reply: ${showBytes(r.raw)}`);
        expect(e.code === 204, `error code ${e.code} (${JSON.stringify(e.message)}), expected 204`);
        return pass(JSON.stringify(e.message));
      });
    },
  },
  {
    id: 'BEP5-KRPC-8:203-malformed', clause: 'BEP5-KRPC-8', level: 'desc', interop: false, suite: 'dht', style: 'exchange',
    title: 'a query whose id is not 20 bytes is answered with error 203',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const r = await query(ch, ctx, 'ping', { id: ctx.rng.bytes(5) });
        expect(r, 'no reply to a ping with a 5-byte id');
        const e = errorOf(r);
        expect(e, `answered a malformed ping as valid: ${showBytes(r.raw)}`);
        expect(e.code === 203, `error code ${e.code} (${JSON.stringify(e.message)}), expected 203`);
        return pass(JSON.stringify(e.message));
      });
    },
  },
  {
    id: 'BEP5-KRPC-7:error-form', clause: 'BEP5-KRPC-7', level: 'desc', suite: 'dht', style: 'exchange',
    title: 'an error reply is y = "e" with e = [integer code, string message] and our t',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const r = await query(ch, ctx, 'frobnicate', { id: nodeId(ctx) });
        if (!r) return cannotJudge('no reply to an unknown method');
        if (yOf(r) !== 'e') return cannotJudge(`no error provoked (y = ${yOf(r)})`);
        const e = errorOf(r)!;
        return pass(`[${e.code}, ${JSON.stringify(e.message)}]`);
      });
    },
  },
  {
    id: 'BEP5-KRPC-1:one-reply', clause: 'BEP5-KRPC-1', level: 'desc', interop: false, suite: 'dht', style: 'exchange',
    title: 'one query gets exactly one response',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        const tid = ctx.rng.bytes(2);
        requireResponse(await query(ch, ctx, 'ping', { id: nodeId(ctx) }, tid), 'ping');
        const extra = await awaitReply(ch, { ...ctx, replyTimeoutMs: Math.min(ctx.replyTimeoutMs, 700) }, tid);
        expect(!extra, `a second reply for the same transaction: ${extra ? showBytes(extra.raw) : ''}`);
        return pass();
      });
    },
  },
  {
    id: 'BEP5-KRPC-1:garbage', clause: 'BEP5-KRPC-1', level: 'derived', suite: 'dht', style: 'exchange',
    title: 'datagrams that are not bencode dicts do not break the node (it still answers a ping)',
    async run(t, ctx) {
      return withChannel(t, async (ch) => {
        for (const g of ['hello', 'i1e', 'l1:ae', 'd1:t2:aa1:y1:qe', 'd1:ad2:id20:']) ch.send(new Uint8Array(Buffer.from(g, 'latin1')));
        // Drain whatever it says to those (errors are fine).
        while (await ch.recv(200)) { /* drain */ }
        requireResponse(await query(ch, ctx, 'ping', { id: nodeId(ctx) }), 'ping after garbage');
        return pass();
      });
    },
  },
];

