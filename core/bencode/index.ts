export * from './types.js';
export { decode, decodePrefix, type DecodeOptions } from './decode.js';
export { encode } from './encode.js';
