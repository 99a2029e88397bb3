import type { Clock, Random, Timers } from './time.js';
import type { HttpNet, PeerNet, UdpNet } from './net.js';
import type { StorageProvider } from './storage.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
}

/**
 * Everything the pure core may use to touch the world. Two implementations exist:
 * host/ (real Node: sockets, files, timers) and sim/ (virtual time and network).
 * Core code receives a Host (or the part of it it needs) and nothing else.
 */
export interface Host {
  clock: Clock;
  timers: Timers;
  random: Random;
  peers: PeerNet;
  udp: UdpNet;
  http: HttpNet;
  storage: StorageProvider;
  log: Logger;
}

export const silentLogger: Logger = { log() {} };
