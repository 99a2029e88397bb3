export * from './common.js';
export * from './picker.js';
export * from './choker.js';
export * from './peer-source.js';
