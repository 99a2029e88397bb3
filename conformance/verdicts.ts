import { toHex } from '../core/util/bytes.js';
import { CaseFailure, CaseInformational, CaseUnimplemented, type Verdict } from './types.js';

/** Small helpers cases use to say what they saw. */
export const pass = (evidence?: string): Verdict => ({ kind: 'pass', evidence });
export const info = (evidence: string): Verdict => ({ kind: 'info', evidence });
export const unimplemented = (evidence: string): Verdict => ({ kind: 'unimplemented', evidence });

/** Fail the case unless `cond` holds. */
export function expect(cond: unknown, evidence: string): asserts cond {
  if (!cond) throw new CaseFailure(evidence);
}

export function fail(evidence: string): never {
  throw new CaseFailure(evidence);
}

export function notImplemented(evidence: string): never {
  throw new CaseUnimplemented(evidence);
}

export function cannotJudge(evidence: string): never {
  throw new CaseInformational(evidence);
}

/** Bytes for evidence lines: hex, cut to `max` bytes. */
export function hexCut(b: Uint8Array, max = 48): string {
  return b.length <= max ? toHex(b) : `${toHex(b.subarray(0, max))}… (${b.length} bytes)`;
}

/** Printable form of bytes: ASCII as text when it is all printable, else hex. */
export function showBytes(b: Uint8Array, max = 64): string {
  const printable = b.every((c) => c >= 0x20 && c < 0x7f);
  if (printable) {
    const s = String.fromCharCode(...b.subarray(0, max));
    return JSON.stringify(b.length > max ? `${s}…` : s);
  }
  return `0x${hexCut(b, max)}`;
}

/** JSON-safe copy of a value: bytes as hex strings, bigint as strings (for counter-examples). */
export function jsonSafe(v: unknown, depth = 0): unknown {
  if (depth > 8) return '…';
  if (v instanceof Uint8Array) return `0x${hexCut(v, 256)}`;
  if (typeof v === 'bigint') return `${v}n`;
  if (Array.isArray(v)) return v.map((x) => jsonSafe(x, depth + 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = jsonSafe(x, depth + 1);
    return out;
  }
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return v;
}
