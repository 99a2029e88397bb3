/**
 * The `bt-lab` package entry ("." in package.json exports): the pure client core. Everything
 * here runs unchanged on the real Node host (host/) and in the simulator (sim/): hand a Client
 * a Host and it does the rest. Strategy plugins and their types are also at `bt-lab/plugins`.
 */
export * from './seam/index.js';
export * from './plugin-api/index.js';
export * from './bencode/index.js';
export * from './metainfo/index.js';
export * from './magnet/index.js';
export * from './util/errors.js';
export { seededRandom } from './util/prng.js';
export { Client, makePeerId, type Swarm } from './client/client.js';
export { Torrent, type TorrentParams, type TorrentEvents, type TorrentStats, type TorrentStatus, type SourceSpec } from './torrent/torrent.js';
export { MagnetDownload, type MagnetParams } from './torrent/magnet.js';
export { defaultEngineConfig, type EngineConfig } from './torrent/config.js';
export * from './pex/index.js';
