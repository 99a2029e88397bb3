export { TrackerServer, parseAllowList, type TrackerServerOptions, type TrackerStats } from './tracker-server.js';
export { SwarmStore, type StoredPeer } from './swarm-store.js';
export { ConnectionIds } from './connection-ids.js';
export { RateLimiter } from './rate-limiter.js';
export { parseQuery, percentDecode, type Query } from './query.js';
export { serveTracker, type ServeTrackerOptions, type RunningTracker } from './serve.js';
