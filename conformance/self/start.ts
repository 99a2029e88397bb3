/**
 * bt-lab's own tracker, peer and DHT node on 127.0.0.1 (real sockets, in this process), for
 * `bt-lab conformance self` (= `npm run conformance`) and the loopback tests. Every server
 * binds 127.0.0.1 on an ephemeral port; close() releases everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '../../core/client/client.js';
import { DhtNode } from '../../core/dht/node.js';
import { TrackerServer } from '../../core/tracker/server/tracker-server.js';
import { serveTracker, type RunningTracker } from '../../core/tracker/server/serve.js';
import type { UdpSocket } from '../../core/seam/net.js';
import { createNodeHost } from '../../host/node-host.js';
import { createNodeHttpNet } from '../../host/net/http.js';
import { createNodeUdpNet } from '../../host/net/udp.js';
import { realClock, realRandom, realTimers } from '../../host/time.js';
import { rarestFirstPicker } from '../../plugins/pickers/rarest-first.js';
import { referenceChoker } from '../../plugins/chokers/reference.js';
import type { PeerTarget } from '../targets/types.js';
import { writeConformanceTorrent } from './fixture.js';

const HOST = '127.0.0.1';

export interface SelfTracker { udpUrl: string; httpUrl: string; close(): void }

export function startSelfTracker(): Promise<SelfTracker> {
  const server = new TrackerServer({ clock: realClock, random: realRandom() });
  return new Promise((resolve, reject) => serveTracker(server, {
    http: { net: createNodeHttpNet({ bindHost: HOST }), port: 0 },
    udp: { net: createNodeUdpNet(), port: 0, host: HOST },
  }, (err, t?: RunningTracker) => {
    if (err || !t) { reject(err ?? new Error('tracker did not start')); return; }
    resolve({ udpUrl: `udp://${HOST}:${t.udpPort}`, httpUrl: `http://${HOST}:${t.httpPort}/announce`, close: () => t.close() });
  }));
}

export interface SelfDht { address: string; node: DhtNode; close(): void }

/** A DhtNode on a real UDP socket, not started (no bootstrap traffic): it only answers. */
export function startSelfDht(): Promise<SelfDht> {
  return new Promise((resolve, reject) => {
    let node: DhtNode | undefined;
    createNodeUdpNet().bind({ port: 0, host: HOST }, (d, from) => node?.handleDatagram(d, from), (err, sock?: UdpSocket) => {
      if (err || !sock) { reject(err ?? new Error('dht bind failed')); return; }
      node = new DhtNode({ clock: realClock, timers: realTimers, random: realRandom(), send: (d, to) => sock.send(d, to) }, { queryTimeoutMs: 2000 });
      const n = node;
      resolve({ address: `${HOST}:${sock.port}`, node: n, close: () => { n.stop(); sock.close(); } });
    });
  });
}

export interface SelfPeer { target: PeerTarget; torrentPath: string; close(): Promise<void> }

/** A bt-lab Client seeding the conformance torrent (checked from disk first). */
export async function startSelfPeer(): Promise<SelfPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'btlab-conformance-'));
  const { info, torrentPath, dataDir } = writeConformanceTorrent(dir);
  const host = createNodeHost({ dir: dataDir, hashWorkers: 1, bind: HOST });
  const client = new Client(host);
  const port = await new Promise<number>((res, rej) => client.listen(0, (e, p) => (e ? rej(e) : res(p!))));
  await new Promise<void>((resolve, reject) => {
    const t = client.add({
      info, picker: rarestFirstPicker(), choker: referenceChoker(), selfAddresses: [`${HOST}:${port}`],
      events: {
        checked: (have, of) => (have === of ? resolve() : reject(new Error(`seeder verified ${have}/${of} pieces`))),
        error: reject,
      },
    });
    t.start();
  });
  return {
    torrentPath,
    target: {
      label: `bt-lab peer ${HOST}:${port} (in-process seeder)`,
      address: { host: HOST, port },
      torrent: { infoHash: info.infoHash, pieceCount: info.pieceCount, pieceLength: info.pieceLength, totalLength: info.totalLength, pieces: info.pieces, rawInfo: info.rawInfo },
      unchokeTimeoutMs: 12_000,
    },
    close: async () => {
      await new Promise<void>((r) => client.close(() => r()));
      await host.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
