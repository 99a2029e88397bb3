import type { PeerSource, PeerSourceContext } from '../plugin-api/peer-source.js';
import type { SourceSpec } from './torrent.js';

/**
 * Create and start the peer-source plugins of a download. Shared by Torrent and
 * MagnetDownload (which owns the sources across its metadata phase). Plugins that do not
 * apply (create → null) are skipped.
 */
export function startPeerSources(specs: readonly SourceSpec[] | undefined, ctx: PeerSourceContext): PeerSource[] {
  const out: PeerSource[] = [];
  for (const spec of specs ?? []) {
    const src = spec.plugin.create(ctx, spec.options ?? {});
    if (src) { out.push(src); src.start(); }
  }
  return out;
}

/** Stop every source (trackers send `stopped`), then `done` once all have finished. */
export function stopPeerSources(sources: readonly PeerSource[], done: () => void): void {
  let pending = sources.length + 1;
  const one = () => { if (--pending === 0) done(); };
  for (const s of sources) s.stop(one);
  one();
}
