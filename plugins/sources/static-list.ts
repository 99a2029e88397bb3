/**
 * Static peer list: the peers given on the command line (`--peer host:port`), in a magnet's
 * `x.pe`, or in a scenario file. Yields them once at start.
 */
import type { PeerSourcePlugin } from '../../core/plugin-api/peer-source.js';
import { parseHostPort } from '../../core/util/address.js';

export const staticListSource: PeerSourcePlugin = {
  name: 'source:static',
  description: 'A fixed list of peers (--peer host:port, magnet x.pe).',
  options: [{ name: 'peers', type: 'string', default: '', describe: 'Comma-separated host:port list ([v6]:port allowed)' }],
  create(ctx, options) {
    const list = String(options.peers ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(parseHostPort);
    if (list.length === 0) return null;
    return {
      name: 'source:static',
      start: () => ctx.addPeers(list, 'static'),
      completed: () => {},
      stop: (done) => done(),
    };
  },
};
