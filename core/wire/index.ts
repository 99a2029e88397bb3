/** The peer-wire codec (BEP 3 framing, BEP 6 fast extension, BEP 10 envelope). */
export * from './types.js';
export * from './size.js';
export * from './limits.js';
export * from './handshake.js';
export * from './encode.js';
export * from './decoder.js';
export * from './validate.js';
export * from './bitfield.js';
export * from './fast.js';
