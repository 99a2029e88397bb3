export * from './types.js';
export { parseMetainfo, parseInfo, isMetainfoInputError, MAX_PIECE_LENGTH, type ParseMetainfoOptions } from './parse.js';
export { buildInfo, buildMetainfo, pieceHashes, CREATED_BY, type BuildInfoInput, type BuiltInfo, type BuildMetainfoInput } from './build.js';
export { autoPieceLength, MIN_AUTO_PIECE_LENGTH, MAX_AUTO_PIECE_LENGTH } from './piece-length.js';
export { assertSafePath, unsafeComponentReason } from './paths.js';
