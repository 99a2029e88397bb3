/**
 * The free rider: never unchokes anyone, so it downloads without uploading (except to peers
 * that allowed-fast would serve). Used by simulations to model selfish peers (Locher et al.,
 * "Free Riding in BitTorrent is Cheap", HotNets 2006).
 */
import type { ChokerPlugin } from '../../core/plugin-api/choker.js';
import type { SlotBound } from './slot-bound.js';

export const freeRiderChoker: ChokerPlugin & SlotBound = {
  name: 'choker:freerider',
  description: 'Never unchokes anyone: a selfish peer that only downloads.',
  maxUnchoked: () => 0,
  create: () => ({ intervalMs: 10_000, rechoke: () => new Set<string>() }),
};
