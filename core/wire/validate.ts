import { ProtocolError } from '../util/errors.js';
import { MAX_REQUEST, type PeerMessage } from './types.js';
import { bitfieldProblem } from './bitfield.js';

/** What validateIncoming needs to know about the torrent and the connection. */
export interface ValidateContext {
  pieceCount: number;
  /** Length of piece i (the last piece may be shorter; BEP3-META-4). */
  pieceLength(i: number): number;
  /** Both sides set the fast bit (BEP 6). */
  fast: boolean;
  /**
   * The peer already sent a message that closes the bitfield window (see endsBitfieldWindow):
   * a bitfield, have_all or have_none after it is late (BEP3-MSG-6, BEP 6).
   */
  seenOtherMessage: boolean;
  /** Both sides set the extension bit (BEP 10). Undefined = not checked. */
  extension?: boolean;
}

/**
 * True when `m`, once received, makes a later bitfield / have_all / have_none a protocol error
 * (BEP3-MSG-6 "only as the first message"). Keep-alives carry no state. BEP 10's extension
 * handshake and BEP 5's PORT are exempt: several clients send them before the bitfield, and
 * neither says anything about which pieces the peer has. Unknown ids are ignored (BEP 3).
 */
export function endsBitfieldWindow(m: PeerMessage): boolean {
  return !(m.type === 'keepalive' || m.type === 'extended' || m.type === 'port' || m.type === 'unknown');
}

/**
 * Semantic checks of one incoming message against the torrent; null when it is acceptable,
 * else a ProtocolError whose message is the close reason. Framing (lengths, caps) was already
 * enforced by WireDecoder; this checks what needs the torrent's shape.
 */
export function validateIncoming(m: PeerMessage, ctx: ValidateContext): ProtocolError | null {
  switch (m.type) {
    case 'keepalive': case 'choke': case 'unchoke': case 'interested': case 'not_interested':
    case 'port': case 'unknown':
      return null;
    case 'extended':
      return ctx.extension === false ? err('extended message without the extension bit negotiated (BEP 10)', m) : null;
    case 'bitfield': {
      if (ctx.seenOtherMessage) return err('bitfield is only allowed as the first message (BEP3-MSG-6)', m);
      const why = bitfieldProblem(m.bits, ctx.pieceCount);
      return why ? err(`${why} (BEP3-MSG-7)`, m, { bytes: m.bits.length, pieceCount: ctx.pieceCount }) : null;
    }
    case 'have_all': case 'have_none':
      if (!ctx.fast) return err(`${m.type} without the fast extension negotiated (BEP 6)`, m);
      if (ctx.seenOtherMessage) return err(`${m.type} is only allowed as the first message (BEP 6)`, m);
      return null;
    case 'have':
      return indexProblem(m, m.index, ctx);
    case 'suggest': case 'allowed_fast':
      if (!ctx.fast) return err(`${m.type} without the fast extension negotiated (BEP 6)`, m);
      return indexProblem(m, m.index, ctx);
    case 'reject':
      if (!ctx.fast) return err('reject without the fast extension negotiated (BEP 6)', m);
      return blockProblem(m, m.index, m.begin, m.length, ctx);
    case 'request': case 'cancel':
      return blockProblem(m, m.index, m.begin, m.length, ctx);
    case 'piece':
      return blockProblem(m, m.index, m.begin, m.block.length, ctx);
  }
}

function indexProblem(m: PeerMessage, index: number, ctx: ValidateContext): ProtocolError | null {
  if (index >= ctx.pieceCount) {
    return err(`${m.type} index ${index} out of range (${ctx.pieceCount} pieces)`, m, { index, pieceCount: ctx.pieceCount });
  }
  return null;
}

/** BEP3-MSG-8/9/10: a block lies inside one existing piece, is non-empty, at most MAX_REQUEST. */
function blockProblem(m: PeerMessage, index: number, begin: number, length: number, ctx: ValidateContext): ProtocolError | null {
  const bad = indexProblem(m, index, ctx);
  if (bad) return bad;
  // Runs for every request and block: nothing is allocated unless there is a problem.
  const plen = ctx.pieceLength(index);
  if (length !== 0 && length <= MAX_REQUEST && begin + length <= plen) return null;
  const what = m.type === 'piece' ? 'block' : m.type;
  const context = { index, begin, length };
  if (length === 0) return err(`${what} of length 0 (piece ${index} at ${begin})`, m, context);
  if (length > MAX_REQUEST) return err(`${what} length ${length} exceeds ${MAX_REQUEST} (BEP3-MSG-9)`, m, context);
  return err(`${what} ${begin}+${length} runs past the end of piece ${index} (${plen} bytes)`, m, { ...context, pieceLength: plen });
}

function err(reason: string, m: PeerMessage, context: Record<string, unknown> = {}): ProtocolError {
  return new ProtocolError(reason, { type: m.type, ...context });
}
