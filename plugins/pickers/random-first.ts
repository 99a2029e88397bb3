/**
 * Random first, then rarest — libtorrent's piece_picker with `initial_picker_threshold`
 * (default 4): until that many pieces are complete, pick pieces at random, because the rarest
 * pieces are by definition held by few peers and slow to complete, and a newcomer needs a
 * complete piece quickly to have something to trade (Cohen 2003, "random first piece").
 * After the threshold it is plain rarest-first.
 *
 * This is the same algorithm as `picker:rarest` (which follows libtorrent's defaults and so
 * includes the random phase); it exists under its own name so experiments can vary the
 * threshold explicitly, and `picker:rarest --picker-opt randomFirst=0` gives pure rarest.
 */
import type { PiecePickerPlugin } from '../../core/plugin-api/picker.js';
import type { PluginOptions } from '../../core/plugin-api/common.js';
import { boolOpt, numOpt } from '../options.js';
import { rarestFirstPicker } from './rarest-first.js';

const NAME = 'picker:random-first';
export const randomFirstPickerPlugin: PiecePickerPlugin = {
  name: NAME,
  description: 'Random until N pieces are complete, then rarest first (libtorrent initial_picker_threshold).',
  options: [
    { name: 'randomPieces', type: 'number', default: 4, describe: 'Pick at random until this many pieces are complete' },
    { name: 'endgame', type: 'boolean', default: true, describe: 'Duplicate outstanding requests when nothing is left to request' },
    { name: 'endgameMaxDup', type: 'number', default: 2, describe: 'Peers asked for the same block at most in endgame' },
  ],
  create: (o: PluginOptions) => rarestFirstPicker({
    randomFirst: numOpt(NAME, o, 'randomPieces', 4, 0),
    endgame: boolOpt(NAME, o, 'endgame', true),
    endgameMaxDup: numOpt(NAME, o, 'endgameMaxDup', 2, 1),
  }),
};
