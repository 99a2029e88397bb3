/**
 * Bencode (BEP3-BENC-*).
 *
 * Why our own decoder, when the `bencode` npm package (4.0.1) is a dependency: it is lenient
 * in ways that break the BEP and the info hash — it accepts `i03e`, `i-0e`, `ie`, `03:abc`,
 * unsorted and duplicate keys, trailing data and truncated strings, loses precision past 2^53,
 * decodes dict keys as UTF-8 (so non-UTF-8 keys are mangled), and its `decode.bytes` is wrong.
 * A decoder that silently accepts what another client rejects is how two peers end up with
 * different ideas of one torrent. Its encoder also writes nothing for a BigInt.
 *
 * Where it does serve: as an independent reference. core/bencode/differential.test.ts checks
 * that on canonical values (safe integers, ASCII keys) both decoders and both encoders agree,
 * and bench/bencode.ts measures ours against it. Nothing at runtime depends on it.
 */
export * from './types.js';
export { decode, decodePrefix, decodeWithSpans, plainView, type DecodeOptions, type DecodeResult } from './decode.js';
export { encode, BRaw, type Encodable } from './encode.js';
