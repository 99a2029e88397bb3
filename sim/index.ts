/** The deterministic discrete-event simulator (see sim/README.md). */
export { Kernel, type NodeCtx, type EventHandle, type RunOptions, type RunResult } from './kernel/kernel.js';
export { EventHeap, MIN_PRIORITY, MAX_PRIORITY } from './kernel/heap.js';
export { SimError, SimUsageError } from './kernel/errors.js';
export { SimWorld, type WorldOptions } from './world.js';
export { createSimHost, type SimHost, type SimHostOptions } from './host.js';
export { SimNode, defaultAddress, type NodeSpec, type NodeStats } from './net/node.js';
export { SimNetwork } from './net/network.js';
export type { NetConfig } from './net/config.js';
export { createSimStorage, type SimStorageOptions, type SimStorageStats } from './storage/sim-storage.js';
export { virtualBlock, isBadData, isVirtualGood } from './storage/virtual-data.js';
export { TraceWriter, memorySink, fileSink, formatTraceLine, formatNumber, type TraceSink, type TraceFields } from './trace.js';
export { percentile, percentileSorted, summarize, jainIndex, shareRatio, shareRatios, fixed, type Summary } from './stats.js';
export { transferTimeMs } from './net/model.js';
