export type { Magnet } from './types.js';
export { parseMagnet, MAX_MAGNET_LENGTH } from './parse.js';
export { formatMagnet } from './format.js';
export { base32Decode, base32Encode } from './base32.js';
export { parseHostPort } from './peer-address.js';
