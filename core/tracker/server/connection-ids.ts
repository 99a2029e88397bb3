import { createHmac } from 'node:crypto';
import type { Address } from '../../seam/net.js';
import { bytesEqual, writeU32 } from '../../util/bytes.js';

/**
 * Stateless UDP connection ids (BEP15-CONN-4/5): an HMAC over the client's address and the
 * current one-minute window, truncated to 8 bytes. Not guessable without the secret, bound
 * to the source address (so a spoofed source cannot reuse someone else's id), and checked
 * against the last WINDOWS windows — valid for at least 2 and at most 3 minutes — with no
 * per-connect state for a flood to fill.
 */
export const WINDOW_MS = 60_000;
const WINDOWS = 3;

export class ConnectionIds {
  constructor(private readonly secret: Uint8Array) {}

  private mac(window: number, from: Address): Uint8Array {
    const w = new Uint8Array(4);
    writeU32(w, 0, window >>> 0);
    const h = createHmac('sha256', this.secret).update(w).update(`${from.host}|${from.port}`).digest();
    return new Uint8Array(h.buffer, h.byteOffset, 8);
  }

  issue(from: Address, now: number): Uint8Array {
    return this.mac(Math.floor(now / WINDOW_MS), from);
  }

  valid(id: Uint8Array, from: Address, now: number): boolean {
    const w = Math.floor(now / WINDOW_MS);
    for (let i = 0; i < WINDOWS; i++) if (bytesEqual(id, this.mac(w - i, from))) return true;
    return false;
  }
}
