export * from './time.js';
export * from './net.js';
export * from './storage.js';
export * from './host.js';
