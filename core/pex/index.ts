/** BEP 11 peer exchange: the ut_pex codec and the pure per-connection state. */
export * from './codec.js';
export * from './state.js';
