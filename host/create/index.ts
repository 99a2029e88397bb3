export { createTorrentFromPath, type CreateTorrentOptions, type CreatedTorrent } from './create-torrent.js';
export { walkForTorrent, type WalkResult, type WalkedFile } from './walk.js';
export { PieceHasher } from './piece-hasher.js';
