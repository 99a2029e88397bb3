/** The interop harness: real third-party BitTorrent software in a private network namespace. */
export * from './netns.js';
export * from './proc.js';
export * from './tools.js';
export * from './data.js';
export * from './lab.js';
export * from './opentracker.js';
export * from './libtorrent.js';
export * from './aria2.js';
export * from './transmission.js';
export * from './btlab.js';
export * from './scenario.js';
