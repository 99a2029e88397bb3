/**
 * V8 settings for simulator processes (constants only: the CLI, compare's worker pool and the
 * benchmark apply them when they start a process or thread).
 *
 * The simulator allocates many short-lived objects (messages, requests, callbacks) while it
 * keeps a large, slowly changing heap (every simulated client). With V8's default 16 MiB
 * semi-spaces, objects that would die within milliseconds survive two scavenges and are
 * promoted, and the old generation is then marked and compacted over and over. With 64 MiB
 * semi-spaces (measured on the project's 2-core machine): the default 200-peer run −8 % CPU,
 * with a slightly lower peak RSS; 1000 peers × 256 MiB for 20 simulated s −33 % wall time.
 * The size must be given when V8 starts (v8.setFlagsFromString is too late).
 */
export const SIM_YOUNG_GEN_FLAG = '--max-semi-space-size=64';
/**
 * Grow the old generation by 20 % (not V8's default, up to several times) before the next
 * major GC: between collections the heap of a big swarm otherwise grows to ≈ 2.7× what is
 * live and never returns the pages. 1000 peers × 256 MiB, 20 simulated s: peak RSS 1856 →
 * 1238 MB for +4 % CPU.
 */
export const SIM_HEAP_GROWTH_FLAG = '--heap-growing-percent=20';
/** Every V8 flag a simulator process starts with. */
export const SIM_V8_FLAGS = [SIM_YOUNG_GEN_FLAG, SIM_HEAP_GROWTH_FLAG];
/** The same for worker threads (Worker resourceLimits): the young generation is 3 semi-spaces. */
export const SIM_WORKER_YOUNG_GEN_MB = 192;
