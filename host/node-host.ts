import type { Host, Logger, LogLevel } from '../core/seam/host.js';
import { realClock, realRandom, realTimers } from './time.js';
import { createNodePeerNet } from './net/peer-net.js';
import { createNodeUdpNet } from './net/udp.js';
import { createNodeHttpNet } from './net/http.js';
import { createFsStorage, type FsStorageProvider } from './storage/fs-storage.js';

export interface NodeHostOptions {
  /** Download / data folder for storage. */
  dir: string;
  log?: Logger;
  hashWorkers?: number;
  /** Listen address for peer connections (default: all interfaces). */
  bind?: string;
}

export interface NodeHost extends Host {
  storage: FsStorageProvider;
  /** Release worker threads and other host resources. */
  destroy(): Promise<void>;
}

/**
 * The real world behind the seam: performance.now, setTimeout, the OS CSPRNG, node:net
 * sockets, node:dgram, node:http and files on disk. The only place (with sim/) where the
 * client core meets its environment.
 */
export function createNodeHost(opts: NodeHostOptions): NodeHost {
  const log = opts.log ?? { log() {} };
  const storage = createFsStorage({ dir: opts.dir, hashWorkers: opts.hashWorkers, log });
  return {
    clock: realClock,
    timers: realTimers,
    random: realRandom(),
    peers: createNodePeerNet({ listenHost: opts.bind }),
    udp: createNodeUdpNet(),
    http: createNodeHttpNet(),
    storage,
    log,
    destroy: () => storage.destroy(),
  };
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A logger writing one line per event to stderr at or above `min`. */
export function stderrLogger(min: LogLevel): Logger {
  return {
    log(level, msg, fields) {
      if (LEVELS[level] < LEVELS[min]) return;
      const extra = fields && Object.keys(fields).length ? ' ' + JSON.stringify(fields) : '';
      process.stderr.write(`[${level}] ${msg}${extra}\n`);
    },
  };
}
