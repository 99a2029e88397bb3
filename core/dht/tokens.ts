import type { Clock, Millis, Random } from '../seam/time.js';
import { bytesEqual, concatBytes, utf8 } from '../util/bytes.js';
import { sha1 } from '../util/sha1.js';

/**
 * announce_peer write tokens (BEP5-TOK-1/2, BEP5-Q-6). The reference design: a token is
 * SHA-1(querier IP + secret), the secret changes every 5 minutes and the previous secret is
 * still accepted, so a token lives between 5 and 10 minutes. Binding it to the IP means a token
 * handed to one address cannot be replayed from another.
 *
 * Rotation is lazy and aligned to 5-minute epochs of the injected clock: no timer is needed and
 * a fake clock gives an exact, reproducible timeline.
 */
export const TOKEN_ROTATE_MS = 5 * 60_000;
/** Truncated: short opaque strings (TOK-1), as long as libtorrent's. */
export const TOKEN_BYTES = 8;

export class TokenManager {
  private current: Uint8Array;
  private previous: Uint8Array;
  private epoch: number;

  constructor(private readonly clock: Clock, private readonly random: Random, private readonly rotateMs: Millis = TOKEN_ROTATE_MS) {
    this.current = random.bytes(16);
    this.previous = random.bytes(16);
    this.epoch = Math.floor(clock.now() / rotateMs);
  }

  /** The token for `ip` under the current secret. */
  issue(ip: string): Uint8Array {
    this.rotate();
    return tokenFor(ip, this.current);
  }

  /** TOK-2: accept tokens from the current and the previous secret only. */
  verify(ip: string, token: Uint8Array): boolean {
    this.rotate();
    return bytesEqual(token, tokenFor(ip, this.current)) || bytesEqual(token, tokenFor(ip, this.previous));
  }

  private rotate(): void {
    const epoch = Math.floor(this.clock.now() / this.rotateMs);
    const steps = epoch - this.epoch;
    if (steps <= 0) return;
    // One step: current becomes previous. Two or more: both secrets are stale.
    this.previous = steps === 1 ? this.current : this.random.bytes(16);
    this.current = this.random.bytes(16);
    this.epoch = epoch;
  }
}

function tokenFor(ip: string, secret: Uint8Array): Uint8Array {
  return sha1(concatBytes([utf8(ip), secret])).slice(0, TOKEN_BYTES);
}
