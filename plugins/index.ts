/**
 * `bt-lab/plugins` — the public plugin API: the three plugin interfaces (re-exported from
 * core/plugin-api), every built-in picker, choker and peer source, the helpers built-ins are
 * made of (so a third-party plugin can reuse them), the registry, and the contract tests that
 * `bt-lab plugins check` runs. See docs/writing-a-plugin.md.
 */
export * from '../core/plugin-api/index.js';
export { BlockState } from '../core/plugin-api/picker.js';
export type { Random, Millis } from '../core/seam/time.js';
export type { Address } from '../core/seam/net.js';
export { shuffle } from '../core/seam/time.js';
export { seededRandom } from '../core/util/prng.js';

// Pickers
export { rarestFirst, rarestFirstPicker, eligible, takeMissingBlocks, partialFirst, endgameBlocks, hasMissing, type RarestFirstOptions } from './pickers/rarest-first.js';
export { randomPickerPlugin, randomPicker, drawRandomPieces, type RandomPickerOptions } from './pickers/random.js';
export { sequentialPickerPlugin, sequentialPicker, type SequentialPickerOptions } from './pickers/sequential.js';
export { randomFirstPickerPlugin } from './pickers/random-first.js';
export { strictEndgamePickerPlugin, looseEndgamePickerPlugin, endgamePicker, leastRequestedBlocks, type EndgamePickerOptions } from './pickers/endgame.js';
export { streamingPickerPlugin, streamingPicker, type StreamingPicker, type StreamingPickerOptions } from './pickers/streaming.js';

// Chokers
export { referenceChokerPlugin, referenceChoker, byRate, drawOptimistic, type ReferenceChokerOptions } from './chokers/reference.js';
export { freeRiderChoker } from './chokers/free-rider.js';
export { fixedSlotsChoker, rateBasedChoker, libtorrentChoker, rateBasedSlots, libtorrentDefaults, type LibtorrentChokerOptions } from './chokers/libtorrent.js';
export { bitTyrantChokerPlugin, bitTyrantChoker, type BitTyrantOptions } from './chokers/bittyrant.js';
export { propShareChokerPlugin, propShareChoker, weightedSample, type PropShareOptions } from './chokers/propshare.js';
export { SeedRanker, SEED_MODES, antiLeechScore, type SeedMode, type ChokerPeerWithProgress } from './chokers/seed-modes.js';
export { LongestWaitingOptimistic } from './chokers/optimistic.js';
export type { SlotBound } from './chokers/slot-bound.js';

// Peer sources
export { httpTrackerSource } from './sources/http-tracker.js';
export { udpTrackerSource } from './sources/udp-tracker.js';
export { dhtSource } from './sources/dht.js';
export { staticListSource } from './sources/static-list.js';

// Registry and option parsing
export {
  builtinPickers, builtinChokers, builtinSources, builtinPicker, builtinChoker, builtinSource,
  resolvePicker, resolveChoker, resolveSource, loadPluginModule, parsePluginOptions, type LoadedPlugins,
} from './registry.js';
export { numOpt, boolOpt, enumOpt } from './options.js';

// Contract tests (also run by `bt-lab plugins check <module>`)
export { checkPicker, checkChoker, checkSource, checkAll, contractOptions, type ContractResult } from './contract/index.js';
