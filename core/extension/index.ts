export * from './handshake.js';
export * from './registry.js';
