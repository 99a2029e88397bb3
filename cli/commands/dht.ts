import type { CommandModule } from 'yargs';
import { handler } from '../run-command.js';
import { createNodeHost } from '../../host/node-host.js';
import { stderrLogger } from '../../host/node-host.js';
import { closeDhtService, ensureDhtService } from '../../core/dht/service.js';
import type { DhtNode } from '../../core/dht/node.js';
import { parseHostPort } from '../../core/util/address.js';
import { fromHex, toHex } from '../../core/util/bytes.js';
import { addressKey, type Address } from '../../core/seam/net.js';
import { BtLabError } from '../../core/util/errors.js';
import { parseMagnet } from '../../core/magnet/index.js';
import { DEFAULT_DHT_ROUTERS } from '../../plugins/sources/dht.js';

interface DhtArgs {
  action: 'ping' | 'get-peers' | 'find-node';
  target: string;
  bootstrap: string;
  port: number;
  json: boolean;
  verbose: boolean;
  timeout: number;
  debug?: boolean;
}

function infoHashOf(s: string): Uint8Array {
  if (s.startsWith('magnet:')) return parseMagnet(s).infoHash;
  if (!/^[0-9a-fA-F]{40}$/.test(s)) throw new BtLabError('EDHT', `not an info hash (40 hex digits) or magnet link: "${s}"`);
  return fromHex(s);
}

/** Diagnosis commands for the BEP 5 DHT: one ping, or one iterative lookup, then exit. */
export const dhtCommand: CommandModule<object, DhtArgs> = {
  command: 'dht <action> <target>',
  describe: 'DHT diagnosis: ping host:port, get-peers <infohash|magnet>, find-node <id>',
  builder: (y) => y
    .positional('action', { choices: ['ping', 'get-peers', 'find-node'] as const, demandOption: true })
    .positional('target', { type: 'string', demandOption: true, describe: 'host:port for ping; info hash / node id (hex) or magnet otherwise' })
    .option('bootstrap', { type: 'string', default: DEFAULT_DHT_ROUTERS, describe: 'Comma-separated DHT contacts (host:port)' })
    .option('port', { type: 'number', default: 0, describe: 'Local UDP port' })
    .option('timeout', { type: 'number', default: 30, describe: 'Give up after this many seconds' })
    .option('json', { type: 'boolean', default: false })
    .option('verbose', { type: 'boolean', default: false }) as never,
  handler: handler(async (a: DhtArgs) => {
    const host = createNodeHost({ dir: '.', log: stderrLogger(a.verbose ? 'debug' : 'warn'), hashWorkers: 0 });
    const bootstrap: Address[] = a.action === 'ping' ? [] : a.bootstrap.split(',').map((s) => s.trim()).filter(Boolean).map(parseHostPort);
    const svc = ensureDhtService(host, { port: a.port, bootstrap });
    const node = await new Promise<DhtNode>((res, rej) => svc.whenReady((err, n) => (err ? rej(err) : res(n!))));
    const print = (obj: Record<string, unknown>, text: string) => process.stdout.write((a.json ? JSON.stringify(obj) : text) + '\n');
    const guard = setTimeout(() => { closeDhtService(host); print({ error: 'timeout' }, `timeout after ${a.timeout} s`); process.exit(1); }, a.timeout * 1000);
    try {
      if (a.action === 'ping') {
        const to = parseHostPort(a.target);
        const o = await new Promise<Parameters<NonNullable<Parameters<DhtNode['ping']>[1]>>[0]>((res) => node.ping(to, res));
        if (!o.ok) throw new BtLabError('EDHT', `ping ${a.target}: ${o.reason}${o.reason === 'error' ? ` ${o.code} ${o.message}` : ''}`);
        print({ ok: true, from: addressKey(o.from), id: toHex(o.reply.id), rttMs: Math.round(o.rttMs) }, `pong from ${addressKey(o.from)} id ${toHex(o.reply.id)} in ${o.rttMs.toFixed(1)} ms`);
      } else {
        const target = infoHashOf(a.target);
        const r = await new Promise<Parameters<Parameters<DhtNode['getPeers']>[1]>[0]>((res) => (a.action === 'get-peers' ? node.getPeers(target, res) : node.findNode(target, res)));
        print(
          { target: toHex(target), peers: r.peers.map(addressKey), closest: r.closest.map((c) => ({ id: toHex(c.id), addr: addressKey(c.addr) })), queried: r.queried, responded: r.responded, failed: r.failed },
          [`${a.action} ${toHex(target)}: ${r.responded}/${r.queried} nodes answered`,
            ...(a.action === 'get-peers' ? [`peers (${r.peers.length}): ${r.peers.map(addressKey).join(' ') || '-'}`] : []),
            `closest nodes: ${r.closest.slice(0, 8).map((c) => addressKey(c.addr)).join(' ') || '-'}`].join('\n'),
        );
      }
    } finally {
      clearTimeout(guard);
      closeDhtService(host);
      await host.destroy();
    }
  }),
};
