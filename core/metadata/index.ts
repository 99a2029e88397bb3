export * from './messages.js';
export * from './assembler.js';
export * from './fetcher.js';
export * from './server.js';
